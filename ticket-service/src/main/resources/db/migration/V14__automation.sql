-- Automatic handling: a task per ticket the rules may settle, written with the ticket, and every
-- decision the rules took with its inputs, the rule set's version and the outcome.
CREATE TABLE automation_task (
    ticket_id        varchar(32)   PRIMARY KEY,
    -- package-change or bill-question
    kind             varchar(32)   NOT NULL,
    customer_id      varchar(64)   NOT NULL,
    target_package   varchar(64),
    question         text,
    -- pending until settled (done)
    state            varchar(16)   NOT NULL,
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz   NOT NULL,
    lease_until      timestamptz,
    last_error       varchar(300),
    created_at       timestamptz   NOT NULL
);
CREATE INDEX automation_task_due ON automation_task (next_attempt_at) WHERE state = 'pending';

CREATE TABLE automation_decision (
    id                varchar(36)  PRIMARY KEY,
    ticket_id         varchar(32)  NOT NULL,
    rule_set          varchar(64)  NOT NULL,
    rule_set_version  varchar(64)  NOT NULL,
    -- act (the outcome was carried out) or shadow (recorded only; a person handled the ticket)
    mode              varchar(16)  NOT NULL,
    -- approved, refused, answered or referred
    outcome           varchar(16)  NOT NULL,
    inputs            text         NOT NULL,
    findings          text         NOT NULL,
    fired_rules       text         NOT NULL,
    -- what was done about it, in words
    action            varchar(500) NOT NULL,
    decided_at        timestamptz  NOT NULL,
    decision_micros   bigint       NOT NULL,
    operator_millis   bigint       NOT NULL
);
CREATE INDEX automation_decision_ticket ON automation_decision (ticket_id);
CREATE INDEX automation_decision_time ON automation_decision (decided_at);

-- What the automatic fault diagnosis found; routing picks the engineer group by it.
ALTER TABLE trouble_ticket ADD COLUMN diagnosis varchar(32);

-- Area outages as one incident: the incident ticket of each outage the OSS reports, and the fault
-- reports from the area attached to it as children (TMF621 troubleTicketRelationship isChildOf).
ALTER TABLE trouble_ticket ADD COLUMN parent_ticket_id varchar(32);
CREATE INDEX trouble_ticket_parent ON trouble_ticket (parent_ticket_id) WHERE parent_ticket_id IS NOT NULL;
CREATE TABLE outage_incident (
    outage_id         varchar(64)  PRIMARY KEY,
    area              varchar(64)  NOT NULL,
    parent_ticket_id  varchar(32)  NOT NULL,
    opened_at         timestamptz  NOT NULL
);
