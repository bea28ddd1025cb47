-- Proactive care: one renewal reminder per contract that ends soon, with the offer the rules chose
-- from the customer's use, the decision's inputs and rule version, and the notification it became.
CREATE TABLE care_offer (
    id                varchar(36)   PRIMARY KEY,
    customer_id       varchar(64)   NOT NULL,
    contract_end      date          NOT NULL,
    current_package   varchar(64)   NOT NULL,
    -- null when the rules offered no change (a reminder to renew)
    offered_package   varchar(64),
    outcome           varchar(16)   NOT NULL,
    rule_set_version  varchar(64)   NOT NULL,
    inputs            text          NOT NULL,
    findings          text          NOT NULL,
    fired_rules       text          NOT NULL,
    channel           varchar(16)   NOT NULL,
    decided_at        timestamptz   NOT NULL,
    UNIQUE (customer_id, contract_end)
);
