-- Messages already handled, recorded in the same transaction as their effect, so a redelivery
-- (Kafka is at least once) changes nothing. The outbox comes from platform-outbox (db/outbox).
CREATE TABLE processed_message (
    message_id   varchar(128) PRIMARY KEY,
    source_topic varchar(128) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now()
);
