-- The progress view every gateway replica shares: what each request's customer sees on any
-- channel. Written by the progress projector (one consumer group across replicas) from
-- channel-requests, ticket-events, identity-events and dead-letters, and by intake itself for the
-- submission, so a request is known on every replica the moment it is accepted.
CREATE TABLE tracked_request (
    request_id      uuid         PRIMARY KEY,
    customer_id     varchar(64)  NOT NULL,
    channel         varchar(16)  NOT NULL,
    ticket_id       varchar(32),
    status          varchar(16)  NOT NULL,
    -- the sequence of the step that set status and last_update (steps may arrive out of order)
    status_sequence integer      NOT NULL,
    last_update     timestamptz  NOT NULL
);
CREATE INDEX tracked_request_customer ON tracked_request (customer_id, last_update DESC);

CREATE TABLE progress_step (
    request_id           uuid          NOT NULL,
    sequence             integer       NOT NULL,
    event_type           varchar(64)   NOT NULL,
    status               varchar(16)   NOT NULL,
    status_change_reason varchar(1000),
    ticket_id            varchar(32),
    channel              varchar(16),
    time                 timestamptz   NOT NULL,
    PRIMARY KEY (request_id, sequence)
);

-- Customers merged in identity-service: the retired id and the survivor it stands for now.
CREATE TABLE customer_alias (
    merged_id   varchar(64) PRIMARY KEY,
    survivor_id varchar(64) NOT NULL
);
CREATE INDEX customer_alias_survivor ON customer_alias (survivor_id);

-- Notifications delivered, by id: a notification read again (a crash before its offset was
-- committed, a rebalance) is not sent a second time.
CREATE TABLE notification_delivery (
    notification_id varchar(64) PRIMARY KEY,
    outcome         varchar(16) NOT NULL,
    delivered_at    timestamptz NOT NULL DEFAULT now()
);
