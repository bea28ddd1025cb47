-- SLA clocks live with their ticket (one JSON document, changed in the same transaction as the
-- ticket). sla_next_stage_at is when the ticket's next warning, breach or escalation is due: the
-- timer claims due tickets through its partial index with SKIP LOCKED, never scanning the table.
ALTER TABLE trouble_ticket ADD COLUMN customer_tier varchar(16);
ALTER TABLE trouble_ticket ADD COLUMN sla text NOT NULL DEFAULT '{"clocks":[]}';
ALTER TABLE trouble_ticket ADD COLUMN sla_next_stage_at timestamptz;
-- The promise is unknown while the ticket waits on the customer.
ALTER TABLE trouble_ticket ALTER COLUMN expected_resolution_date DROP NOT NULL;
CREATE INDEX trouble_ticket_sla_due ON trouble_ticket (sla_next_stage_at) WHERE sla_next_stage_at IS NOT NULL;
-- SLA reports select tickets by when they were opened.
CREATE INDEX trouble_ticket_created ON trouble_ticket (creation_date);
