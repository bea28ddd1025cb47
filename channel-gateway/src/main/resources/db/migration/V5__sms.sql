-- Text messages customers sent to the service number, one row per platform sequence id: a
-- message the platform delivers again is handled once.
CREATE TABLE sms_inbound (
    message_id  varchar(40) PRIMARY KEY,
    msisdn      varchar(20) NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX sms_inbound_received ON sms_inbound (received_at);

-- Numbers that opted out of marketing and surveys (TD); the gateway sends every message, so the
-- opt-out holds on every channel. Service notices and one-time codes are not affected.
CREATE TABLE contact_opt_out (
    msisdn       varchar(20)  PRIMARY KEY,
    categories   varchar(100) NOT NULL,
    opted_out_at timestamptz  NOT NULL
);

-- Delivery receipts from the SMS platform.
ALTER TABLE notification_delivery ADD COLUMN receipt_code varchar(32);
ALTER TABLE notification_delivery ADD COLUMN receipt_at timestamptz;

-- Text messages held for the end of quiet hours; claimed by one replica at a time to send.
CREATE TABLE held_notification (
    notification_id varchar(64)  PRIMARY KEY,
    channel         varchar(16)  NOT NULL,
    to_sealed       text         NOT NULL,
    text            text         NOT NULL,
    due_at          timestamptz  NOT NULL,
    claimed_until   timestamptz
);
CREATE INDEX held_notification_due ON held_notification (due_at);

-- Calls to the hotline as interactions (TMF683 Party Interaction), one per CTI call id.
CREATE TABLE party_interaction (
    id            varchar(64)  PRIMARY KEY,
    channel       varchar(16)  NOT NULL,
    customer_id   varchar(64),
    caller_masked varchar(32),
    verification  varchar(16)  NOT NULL,
    started_at    timestamptz  NOT NULL,
    ivr_path      varchar(64),
    connected_at  timestamptz,
    agent         varchar(64),
    ended_at      timestamptz,
    outcome       varchar(16),
    updated_at    timestamptz  NOT NULL
);
CREATE INDEX party_interaction_customer ON party_interaction (customer_id, started_at DESC);
