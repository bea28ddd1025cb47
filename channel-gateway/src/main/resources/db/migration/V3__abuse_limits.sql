-- Intake limits: requests counted per customer and per channel in fixed windows (a minute, a day,
-- a second), shared by every replica; windows older than two days are removed.
CREATE TABLE intake_quota (
    quota_key    varchar(200) NOT NULL,
    window_start timestamptz  NOT NULL,
    used         integer      NOT NULL,
    PRIMARY KEY (quota_key, window_start)
);
CREATE INDEX intake_quota_window ON intake_quota (window_start);

-- Open progress streams, for the cap per customer across replicas. The replica serving a stream
-- renews seen_at every 15 s; a row not renewed for a minute (its replica died) no longer counts.
CREATE TABLE open_stream (
    id          uuid        PRIMARY KEY,
    customer_id varchar(64) NOT NULL,
    seen_at     timestamptz NOT NULL
);
CREATE INDEX open_stream_customer ON open_stream (customer_id, seen_at);
