-- Agents as routing sees them: regions, skills with levels, seniority, how many open tickets they
-- take at once ("total", and per ticket type), presence, and the one offer they may hold at a time. Load is counted from the
-- tickets assigned to them and the offers they hold, never kept as a number that could drift.
CREATE TABLE agent (
    agent_id        varchar(64)  PRIMARY KEY,
    regions         varchar(200) NOT NULL,
    skills          text         NOT NULL,
    seniority       int          NOT NULL,
    capacity        text         NOT NULL,
    presence        varchar(16)  NOT NULL,
    presence_since  timestamptz  NOT NULL,
    offer_ticket    varchar(32),
    last_offered_at timestamptz,
    updated_at      timestamptz  NOT NULL
);

-- Each unowned ticket's place in routing: the bullseye target it is at, the offer it has out, who
-- declined, and when the router looks at it next (claimed with SKIP LOCKED: one replica at a time).
CREATE TABLE routing_state (
    ticket_id        varchar(32)  PRIMARY KEY REFERENCES trouble_ticket (id),
    queue            varchar(32)  NOT NULL,
    target           int          NOT NULL,
    target_since     timestamptz  NOT NULL,
    offered_to       varchar(64),
    offer_expires_at timestamptz,
    declined         text         NOT NULL DEFAULT '',
    order_key        bigint       NOT NULL,
    next_check_at    timestamptz  NOT NULL,
    unowned_limit_at timestamptz  NOT NULL,
    last_outcome     varchar(16),
    escalated        boolean      NOT NULL DEFAULT false,
    queued_at        timestamptz  NOT NULL
);
CREATE INDEX routing_state_due ON routing_state (next_check_at, order_key);
CREATE INDEX routing_state_offered ON routing_state (offered_to) WHERE offered_to IS NOT NULL;

-- Every routing decision, with the candidates considered, their scores and factors, and the
-- policy version: why a ticket went where it went.
CREATE TABLE routing_decision (
    id             uuid         PRIMARY KEY,
    ticket_id      varchar(32)  NOT NULL,
    decided_at     timestamptz  NOT NULL,
    policy_version varchar(64)  NOT NULL,
    queue          varchar(32)  NOT NULL,
    target         varchar(64),
    outcome        varchar(16)  NOT NULL,
    agent_id       varchar(64),
    candidates     text         NOT NULL
);
CREATE INDEX routing_decision_ticket ON routing_decision (ticket_id, decided_at);
CREATE INDEX trouble_ticket_assignee_open ON trouble_ticket (assignee) WHERE status NOT IN ('resolved', 'closed', 'cancelled', 'rejected');
