-- Decisions taken in the same instant (an offer lapsing and the next one made) keep the order in
-- which they were taken.
ALTER TABLE routing_decision ADD COLUMN seq bigserial;
DROP INDEX routing_decision_ticket;
CREATE INDEX routing_decision_ticket ON routing_decision (ticket_id, seq);
