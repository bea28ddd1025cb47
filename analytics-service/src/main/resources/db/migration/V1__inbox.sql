-- Events already counted, recorded in the same transaction as the KPI update they caused, so a
-- redelivery (Kafka is at least once) never counts twice.
CREATE TABLE processed_message (
    message_id   varchar(128) PRIMARY KEY,
    source_topic varchar(128) NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now()
);
