-- Events the service emits, written in the same transaction as the change they describe.
-- Debezium embedded captures inserts and publishes them to identity-events.
CREATE TABLE outbox_event (
    id             uuid PRIMARY KEY,
    aggregate_type varchar(64)  NOT NULL,
    aggregate_id   varchar(64)  NOT NULL,
    event_type     varchar(128) NOT NULL,
    occurred_at    timestamptz  NOT NULL DEFAULT now(),
    payload        jsonb        NOT NULL
);
