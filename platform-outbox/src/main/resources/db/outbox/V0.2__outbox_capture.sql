-- Change capture of the outbox: the publication (inserts only; pruning deletes are not
-- streamed) and the logical replication slot exist before the first event is written, so none can
-- slip past the relay. The slot keeps the relay's position on the server, across restarts and
-- across the replicas that take turns holding it.
CREATE PUBLICATION outbox_capture FOR TABLE outbox_event WITH (publish = 'insert');
SELECT pg_create_logical_replication_slot('${outbox_slot}', 'pgoutput');
INSERT INTO outbox_relay_lease (slot) VALUES ('${outbox_slot}');
