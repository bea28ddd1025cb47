-- What the SLA stages tell staff (warnings, breaches, escalations), kept for the agent desk: the
-- named person (an assignee, a duty) sees their own, supervisors every notice of their region's
-- tickets, ops all. Written in the transaction that fires the stage.
CREATE TABLE staff_notice (
    id          varchar(36)  PRIMARY KEY,
    recipient   varchar(80)  NOT NULL,
    region      varchar(64),
    ticket_id   varchar(32)  NOT NULL,
    kind        varchar(32)  NOT NULL,
    metric      varchar(32)  NOT NULL,
    due_at      timestamptz,
    text        varchar(300) NOT NULL,
    created_at  timestamptz  NOT NULL,
    read_at     timestamptz
);
CREATE INDEX staff_notice_recipient ON staff_notice (recipient, created_at DESC);
CREATE INDEX staff_notice_region ON staff_notice (region, created_at DESC);
