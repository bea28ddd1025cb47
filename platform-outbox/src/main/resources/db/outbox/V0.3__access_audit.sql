-- Who among staff read or changed whose personal data or ticket, when and why. Written with its
-- audit-events outbox row in one transaction (the operator's SIEM reads the topic); ops query the
-- table through GET /api/v1/access-audit.
CREATE TABLE access_audit (
    id            uuid          PRIMARY KEY,
    at            timestamptz   NOT NULL,
    staff_id      varchar(64)   NOT NULL,
    roles         varchar(200)  NOT NULL,
    staff_region  varchar(64),
    action        varchar(16)   NOT NULL,
    resource_type varchar(64)   NOT NULL,
    resource_id   varchar(200),
    -- the customers whose data the answer held, comma-separated (a list holds many)
    customer_ids  text,
    purpose       varchar(200)  NOT NULL,
    operation     varchar(300)  NOT NULL,
    outcome       integer       NOT NULL
);
CREATE INDEX access_audit_staff ON access_audit (staff_id, at);
CREATE INDEX access_audit_at ON access_audit (at);
