-- The pain-point list. Each signal (a complaint opened, an SLA breach, a survey answer touching a
-- process node, a low one) is one row, keyed by the event it came from, so a redelivered event
-- adds nothing; the list is these rows counted per month, node and department.
CREATE TABLE pain_signal (
    event_id    varchar(128) NOT NULL,
    node        varchar(64)  NOT NULL,
    kind        varchar(16)  NOT NULL,
    department  varchar(64)  NOT NULL,
    -- the month the signal falls in, in the operator's zone (YYYY-MM)
    period      char(7)      NOT NULL,
    ticket_id   varchar(64)  NOT NULL,
    occurred_at timestamptz  NOT NULL,
    PRIMARY KEY (event_id, node, kind)
);
CREATE INDEX pain_signal_period ON pain_signal (period, node, department);

-- A pain point: one node and department in one month, owned by that department, which answers
-- with a plan (due 3 days after opening) and a pilot (due 7 days after); the next month's signals
-- verify it. One per month, node and department: replicas that open it at once open it once.
CREATE TABLE pain_point (
    id               uuid         PRIMARY KEY,
    period           char(7)      NOT NULL,
    node             varchar(64)  NOT NULL,
    department       varchar(64)  NOT NULL,
    status           varchar(16)  NOT NULL,
    map_version      varchar(32)  NOT NULL,
    opened_at        timestamptz  NOT NULL,
    opened_by        varchar(64)  NOT NULL,
    plan_due         timestamptz  NOT NULL,
    pilot_due        timestamptz  NOT NULL,
    plan             text,
    plan_by          varchar(64),
    plan_at          timestamptz,
    pilot            text,
    pilot_by         varchar(64),
    pilot_at         timestamptz,
    plan_overdue_at  timestamptz,
    pilot_overdue_at timestamptz,
    verification     jsonb,
    verified_at      timestamptz,
    UNIQUE (period, node, department)
);
CREATE INDEX pain_point_plan_due ON pain_point (plan_due) WHERE plan IS NULL AND plan_overdue_at IS NULL;
CREATE INDEX pain_point_pilot_due ON pain_point (pilot_due) WHERE pilot IS NULL AND pilot_overdue_at IS NULL;
CREATE INDEX pain_point_unverified ON pain_point (period) WHERE verified_at IS NULL;
