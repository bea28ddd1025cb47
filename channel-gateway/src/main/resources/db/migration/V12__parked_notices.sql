-- Notices no channel could take because providers were unavailable (not refused): kept here and
-- tried again when due, with growing pauses, by whichever replica claims them first. A notice
-- still parked after the operator's bound is recorded as unreachable.
CREATE TABLE parked_notice (
    notice_id       varchar(64)  PRIMARY KEY,
    purpose         varchar(16)  NOT NULL,
    payload         text         NOT NULL,
    customer_id     varchar(64)  NOT NULL,
    reason          varchar(200) NOT NULL,
    attempts        integer      NOT NULL DEFAULT 1,
    parked_at       timestamptz  NOT NULL DEFAULT now(),
    due_at          timestamptz  NOT NULL,
    claimed_until   timestamptz
);
CREATE INDEX parked_notice_due ON parked_notice (due_at);
