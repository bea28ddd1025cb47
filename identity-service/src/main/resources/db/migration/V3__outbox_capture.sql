-- Change capture of the outbox for Debezium: the publication and the logical replication slot
-- exist before the first customer is registered, so no event can slip past the relay. The slot keeps
-- the relay's position on the server (it survives restarts of the service).
CREATE PUBLICATION outbox_capture FOR TABLE outbox_event;
SELECT pg_create_logical_replication_slot('${outbox_slot}', 'pgoutput');
