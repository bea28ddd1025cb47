-- A ticket removed (data retention, a benchmark's clean-up) takes its place in routing with it.
ALTER TABLE routing_state DROP CONSTRAINT routing_state_ticket_id_fkey;
ALTER TABLE routing_state ADD CONSTRAINT routing_state_ticket_id_fkey
    FOREIGN KEY (ticket_id) REFERENCES trouble_ticket (id) ON DELETE CASCADE;
