-- Proactive outage notices (主动告知): when the OSS reports an area outage opened or cleared, every
-- customer whose line is in the area is told on their preferred channel. One run per outage and
-- phase, paged through the OSS's customers of the area by customer id (cursor); a page's
-- notifications and the cursor's advance commit together, under a lease any replica may take.
CREATE TABLE outage_notice_run (
    outage_id        varchar(64)  NOT NULL,
    phase            varchar(16)  NOT NULL,
    area             varchar(64)  NOT NULL,
    cause            varchar(500),
    expected_restore varchar(40),
    received_at      timestamptz  NOT NULL,
    cursor           varchar(64)  NOT NULL DEFAULT '',
    until_cursor     varchar(64),
    told             integer      NOT NULL DEFAULT 0,
    attempts         integer      NOT NULL DEFAULT 0,
    due_at           timestamptz  NOT NULL,
    lease_until      timestamptz,
    done_at          timestamptz,
    PRIMARY KEY (outage_id, phase)
);
CREATE INDEX outage_notice_run_due ON outage_notice_run (due_at) WHERE done_at IS NULL;
