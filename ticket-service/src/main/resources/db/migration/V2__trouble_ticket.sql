-- Work orders, modelled on TMF621 TroubleTicket. One ticket per channel request (request_id is
-- the idempotency key of intake).
CREATE TABLE trouble_ticket (
    id                       varchar(32)  PRIMARY KEY,
    request_id               uuid         NOT NULL UNIQUE,
    ticket_type              varchar(32)  NOT NULL,
    description              varchar(4000) NOT NULL,
    category                 varchar(64),
    severity                 varchar(16)  NOT NULL,
    priority                 varchar(16)  NOT NULL,
    status                   varchar(16)  NOT NULL,
    status_change_reason     varchar(1000),
    channel                  varchar(16)  NOT NULL,
    customer_id              varchar(64)  NOT NULL,
    assignee                 varchar(64),
    region                   varchar(64),
    creation_date            timestamptz  NOT NULL,
    last_update              timestamptz  NOT NULL,
    expected_resolution_date timestamptz  NOT NULL,
    resolution_date          timestamptz,
    sequence                 integer      NOT NULL,
    -- status history and notes, as JSON
    log                      text         NOT NULL
);
CREATE INDEX trouble_ticket_customer ON trouble_ticket (customer_id, creation_date DESC);
CREATE INDEX trouble_ticket_queue ON trouble_ticket (status, ticket_type, creation_date);
CREATE INDEX trouble_ticket_assignee ON trouble_ticket (assignee) WHERE assignee IS NOT NULL;
