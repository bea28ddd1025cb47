-- WeChat deliveries handled (WeChat retries a message it got no answer to): one row per MsgId (or
-- sender, time and event), with the reply given, so a repeat is answered the same on any replica.
CREATE TABLE wechat_inbound (
    dedupe_key  varchar(128) PRIMARY KEY,
    open_id     varchar(64)  NOT NULL,
    received_at timestamptz  NOT NULL,
    reply       text
);
CREATE INDEX wechat_inbound_received ON wechat_inbound (received_at);

-- Followers of the official account and, once known, the customer behind each openid: where a
-- customer's results go as template messages.
CREATE TABLE wechat_follower (
    open_id     varchar(64) PRIMARY KEY,
    customer_id varchar(64),
    subscribed  boolean     NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX wechat_follower_customer ON wechat_follower (customer_id) WHERE subscribed;

-- The official account's API access token, shared by every replica (WeChat keeps one per AppID).
CREATE TABLE wechat_access_token (
    app_id     varchar(64)  PRIMARY KEY,
    token      varchar(600) NOT NULL,
    expires_at timestamptz  NOT NULL,
    fetched_at timestamptz  NOT NULL
);
