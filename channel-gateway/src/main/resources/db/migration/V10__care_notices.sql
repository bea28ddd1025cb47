-- Renewal reminders from ticket-service's proactive care, kept until they may go (quiet hours) and
-- afterwards so the customer can accept the offer from any channel. One row per offer.
CREATE TABLE care_notice (
    offer_id              varchar(36)   PRIMARY KEY,
    notification_id       varchar(64)   NOT NULL,
    customer_id           varchar(64)   NOT NULL,
    -- the channel the operator's record prefers; the customer's own setting comes first
    channel               varchar(16)   NOT NULL,
    offered_package       varchar(64),
    offered_package_name  varchar(128),
    message               text          NOT NULL,
    expires_at            timestamptz   NOT NULL,
    due_at                timestamptz   NOT NULL,
    -- waiting, sent, opted-out, over-budget, unreachable, expired
    state                 varchar(16)   NOT NULL,
    sent_channel          varchar(16),
    lease_until           timestamptz,
    accepted_request      uuid,
    created_at            timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX care_notice_due ON care_notice (due_at) WHERE state = 'waiting';
CREATE INDEX care_notice_customer ON care_notice (customer_id);
