-- How each customer wants to hear from the operator (keyed by the customer record that survives
-- merges): the channel to try first, their own quiet hours, categories they opted out of
-- (marketing, survey) and channels service notices must not use.
CREATE TABLE notification_preference (
    customer_id       varchar(64)  PRIMARY KEY,
    preferred_channel varchar(16),
    quiet_start       time,
    quiet_end         time,
    opt_out           varchar(100) NOT NULL DEFAULT '',
    muted_channels    varchar(100) NOT NULL DEFAULT '',
    updated_at        timestamptz  NOT NULL
);

-- The customer's APP installations and their push tokens (the push provider's address for one
-- installation). A token belongs to the last customer who registered it; a token the provider
-- calls invalid is removed.
CREATE TABLE app_device (
    id            uuid         PRIMARY KEY,
    customer_id   varchar(64)  NOT NULL,
    platform      varchar(16)  NOT NULL,
    push_token    varchar(256) NOT NULL UNIQUE,
    app_version   varchar(32),
    registered_at timestamptz  NOT NULL,
    last_seen_at  timestamptz  NOT NULL
);
CREATE INDEX app_device_customer ON app_device (customer_id);
