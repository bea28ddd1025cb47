-- The transactional outbox every service with a database shares (shipped by platform-outbox; a
-- service lists classpath db/outbox among its Flyway locations). A row is written in the same
-- transaction as the change it reports; the relay publishes it and later prunes it.
CREATE TABLE outbox_event (
    id             uuid         PRIMARY KEY,
    aggregate_type varchar(64)  NOT NULL,
    aggregate_id   varchar(64)  NOT NULL,
    event_type     varchar(128) NOT NULL,
    occurred_at    timestamptz  NOT NULL,
    -- the CloudEvent data, exactly as published
    payload        text         NOT NULL,
    -- null: the relay's configured topic
    topic          varchar(64),
    -- when the row was written; pruning goes by it
    created_at     timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX outbox_event_created ON outbox_event (created_at);

-- Which replica publishes: one lease per replication slot, renewed by its holder every second.
-- A replica that cannot renew stops publishing before the lease runs out; another takes over.
CREATE TABLE outbox_relay_lease (
    slot        varchar(64) PRIMARY KEY,
    holder      varchar(200),
    expires_at  timestamptz NOT NULL DEFAULT '-infinity',
    acquired_at timestamptz
);
