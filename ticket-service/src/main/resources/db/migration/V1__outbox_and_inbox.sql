-- Events the service emits, written in the same transaction as the ticket change they describe.
-- Debezium embedded captures inserts and publishes them to ticket-events.
CREATE TABLE outbox_event (
    id             uuid PRIMARY KEY,
    aggregate_type varchar(64)  NOT NULL,
    aggregate_id   varchar(64)  NOT NULL,
    event_type     varchar(128) NOT NULL,
    occurred_at    timestamptz  NOT NULL DEFAULT now(),
    payload        text         NOT NULL  -- the CloudEvent data, exactly as published
);

-- Messages already handled, recorded in the same transaction as their effect, so a redelivery
-- (Kafka is at least once) changes nothing.
CREATE TABLE processed_message (
    message_id   varchar(128) PRIMARY KEY,
    source_topic varchar(128) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now()
);
