-- TMF621 hub: partner subscriptions to ticket events, and one delivery row per (subscription, event).
CREATE TABLE hub_subscription (
    id          varchar(36)   PRIMARY KEY,
    partner     varchar(64)   NOT NULL,
    callback    varchar(2000) NOT NULL,
    query       varchar(2000),
    -- The HMAC key deliveries are signed with; shown to the partner once, when it subscribes.
    secret      varchar(100)  NOT NULL,
    -- The region the partner was granted when it subscribed (null: only the tickets it reported).
    region      varchar(64),
    created_at  timestamptz   NOT NULL
);
CREATE INDEX hub_subscription_partner ON hub_subscription (partner);

CREATE TABLE hub_delivery (
    id               bigserial     PRIMARY KEY,
    subscription_id  varchar(36)   NOT NULL REFERENCES hub_subscription (id) ON DELETE CASCADE,
    event_id         varchar(64)   NOT NULL,
    ticket_id        varchar(32)   NOT NULL,
    sequence         integer       NOT NULL,
    event_type       varchar(64)   NOT NULL,
    body             text          NOT NULL,
    -- pending, delivered or dead (retry budget spent; redelivered on request)
    state            varchar(16)   NOT NULL,
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz   NOT NULL,
    lease_until      timestamptz,
    last_status      integer,
    last_error       varchar(300),
    created_at       timestamptz   NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX hub_delivery_due ON hub_delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX hub_delivery_ticket_order ON hub_delivery (subscription_id, ticket_id, sequence) WHERE state = 'pending';
CREATE INDEX hub_delivery_log ON hub_delivery (subscription_id, id DESC);
