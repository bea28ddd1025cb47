-- Four eyes on merges: an agent or supervisor proposes, a different supervisor approves (or
-- rejects). The merge audit names both.
CREATE TABLE merge_proposal (
    id                 uuid          PRIMARY KEY,
    survivor_id        varchar(64)   NOT NULL REFERENCES customer (id),
    merged_id          varchar(64)   NOT NULL REFERENCES customer (id),
    reason             varchar(1000) NOT NULL,
    verification       varchar(200)  NOT NULL,
    proposed_by        varchar(64)   NOT NULL,
    proposed_by_name   varchar(200),
    proposed_at        timestamptz   NOT NULL,
    status             varchar(16)   NOT NULL,
    decided_by         varchar(64),
    decided_by_name    varchar(200),
    decided_at         timestamptz,
    decision_note      varchar(1000)
);
CREATE INDEX merge_proposal_pending ON merge_proposal (proposed_at) WHERE status = 'pending';
ALTER TABLE customer_merge ADD COLUMN proposed_by varchar(64);
ALTER TABLE customer_merge ADD COLUMN proposed_by_name varchar(200);
