-- The customer registry: one row per customer, whatever channel they came from. Keycloak keeps
-- the credentials (APP/web password) and sessions; this schema keeps who the customer is and
-- which channel identities point at them.
CREATE TABLE customer (
    id                     varchar(64)  PRIMARY KEY,
    name                   varchar(200) NOT NULL,
    msisdn                 varchar(20)  NOT NULL,
    value_tier             varchar(16)  NOT NULL,
    region                 varchar(64),
    preferred_channel      varchar(16),
    registered_via         varchar(16),
    keycloak_user_id       varchar(64)  NOT NULL UNIQUE,
    -- hotline/SMS service password (6 digits), PBKDF2 with its own salt; never stored in clear
    service_password_hash  varchar(200),
    -- set once the record was merged into another; it then only forwards to the survivor
    merged_into            varchar(64)  REFERENCES customer (id),
    created_at             timestamptz  NOT NULL,
    updated_at             timestamptz  NOT NULL
);
CREATE INDEX customer_merged_into ON customer (merged_into) WHERE merged_into IS NOT NULL;

-- Channel identities bound to a customer. external_id is the WeChat openid/unionid, MSISDN,
-- APP or web account as the channel presents it, or for ID documents a keyed hash (HMAC-SHA256
-- with the deployment's secret salt) so the number itself is never stored.
CREATE TABLE channel_identity (
    id            uuid         PRIMARY KEY,
    customer_id   varchar(64)  NOT NULL REFERENCES customer (id),
    identity_type varchar(16)  NOT NULL,
    external_id   varchar(128) NOT NULL,
    masked        varchar(64)  NOT NULL,
    bound_at      timestamptz  NOT NULL,
    bound_by      varchar(64)  NOT NULL,
    -- one live binding per external id: the same openid cannot point at two customers
    UNIQUE (identity_type, external_id)
);
CREATE INDEX channel_identity_customer ON channel_identity (customer_id);

-- Audit of merges: who merged what into what, why, and what moved.
CREATE TABLE customer_merge (
    id                 uuid          PRIMARY KEY,
    survivor_id        varchar(64)   NOT NULL REFERENCES customer (id),
    merged_id          varchar(64)   NOT NULL UNIQUE REFERENCES customer (id),
    merged_by          varchar(64)   NOT NULL,
    merged_by_name     varchar(200),
    reason             varchar(1000) NOT NULL,
    verification       varchar(200)  NOT NULL,
    moved_identities   integer       NOT NULL,
    merged_at          timestamptz   NOT NULL
);
CREATE INDEX customer_merge_survivor ON customer_merge (survivor_id);

-- One-time codes for hotline and SMS sign-in. Only a keyed hash of the code is kept.
CREATE TABLE otp_challenge (
    id            uuid         PRIMARY KEY,
    msisdn        varchar(20)  NOT NULL,
    channel       varchar(16)  NOT NULL,
    customer_id   varchar(64)  NOT NULL REFERENCES customer (id),
    code_hash     varchar(128) NOT NULL,
    attempts      integer      NOT NULL DEFAULT 0,
    created_at    timestamptz  NOT NULL,
    expires_at    timestamptz  NOT NULL,
    used_at       timestamptz
);
CREATE INDEX otp_challenge_msisdn ON otp_challenge (msisdn, created_at DESC);

-- Failed verification attempts per flow (one-time code, service password, ID check) and MSISDN;
-- a flow is locked once the failures reach the limit, until locked_until.
CREATE TABLE sign_in_guard (
    id            varchar(100) PRIMARY KEY,  -- flow:msisdn
    flow          varchar(32)  NOT NULL,
    subject_key   varchar(64)  NOT NULL,
    failures      integer      NOT NULL,
    locked_until  timestamptz,
    updated_at    timestamptz  NOT NULL
);

-- Every sign-in identity-service vouched for: which customer, on which channel, by which flow,
-- and for counter sessions the agent who checked the ID document.
CREATE TABLE sign_in_audit (
    id            uuid         PRIMARY KEY,
    customer_id   varchar(64)  NOT NULL,
    channel       varchar(16)  NOT NULL,
    flow          varchar(32)  NOT NULL,
    agent         varchar(64),
    agent_name    varchar(200),
    signed_in_at  timestamptz  NOT NULL
);
CREATE INDEX sign_in_audit_customer ON sign_in_audit (customer_id, signed_in_at DESC);

-- The key identity-service signs its sign-in assertions with (RFC 7523). The first replica to
-- start creates it; every replica uses the same one, and Keycloak trusts its public half.
CREATE TABLE signing_key (
    id           varchar(32)  PRIMARY KEY,
    private_key  text         NOT NULL,
    public_key   text         NOT NULL,
    created_at   timestamptz  NOT NULL
);

