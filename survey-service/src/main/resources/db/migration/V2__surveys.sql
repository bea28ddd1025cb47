-- Invitations: one satisfaction survey per resolved ticket and one verification re-survey per
-- follow-up; each a timer row (send_at, remind_at, expires_at) claimed by any replica with SKIP
-- LOCKED, so each fires once.
CREATE TABLE survey_invitation (
    id                    uuid         PRIMARY KEY,
    token                 varchar(32)  NOT NULL UNIQUE,
    ticket_id             varchar(64)  NOT NULL,
    customer_id           varchar(64)  NOT NULL,
    person_id             varchar(64)  NOT NULL,
    channel               varchar(16)  NOT NULL,
    service_type          varchar(32)  NOT NULL,
    region                varchar(64),
    agent_id              varchar(64),
    questionnaire_id      varchar(64)  NOT NULL,
    questionnaire_version integer      NOT NULL,
    purpose               varchar(16)  NOT NULL CHECK (purpose IN ('satisfaction', 'verification')),
    original_invitation   uuid         REFERENCES survey_invitation (id),
    follow_up_ticket      varchar(64),
    status                varchar(16)  NOT NULL CHECK (status IN ('scheduled', 'sent', 'answered', 'expired', 'suppressed')),
    suppressed_reason     varchar(32),
    resolved_at           timestamptz  NOT NULL,
    send_at               timestamptz  NOT NULL,
    sent_at               timestamptz,
    expires_at            timestamptz,
    remind_at             timestamptz,
    reminded              boolean      NOT NULL DEFAULT false,
    created_at            timestamptz  NOT NULL DEFAULT now()
);
-- A ticket resolved again (reopened, resolved) is not surveyed twice; a follow-up is verified once.
CREATE UNIQUE INDEX survey_invitation_once ON survey_invitation (ticket_id, purpose);
CREATE INDEX survey_invitation_due ON survey_invitation (send_at) WHERE status = 'scheduled';
CREATE INDEX survey_invitation_reminder ON survey_invitation (remind_at) WHERE status = 'sent' AND NOT reminded;
CREATE INDEX survey_invitation_expiry ON survey_invitation (expires_at) WHERE status = 'sent';
CREATE INDEX survey_invitation_person ON survey_invitation (person_id, send_at) WHERE purpose = 'satisfaction' AND status <> 'suppressed';

-- The row each person's contact decision locks, so replicas deciding at once cannot both invite.
CREATE TABLE survey_person (
    person_id  varchar(64) PRIMARY KEY
);

-- One answer per invitation, with what the measures group by copied from the invitation.
CREATE TABLE survey_response (
    invitation_id         uuid         PRIMARY KEY REFERENCES survey_invitation (id),
    ticket_id             varchar(64)  NOT NULL,
    channel               varchar(16)  NOT NULL,
    answered_on           varchar(16)  NOT NULL,
    service_type          varchar(32)  NOT NULL,
    region                varchar(64),
    agent_id              varchar(64),
    questionnaire_id      varchar(64)  NOT NULL,
    questionnaire_version integer      NOT NULL,
    csat                  smallint,
    nps                   smallint,
    fcr                   boolean,
    solved                boolean,
    efficiency            double precision,
    quality               double precision,
    experience            double precision,
    answers               text         NOT NULL,
    comment               text,
    follow_up_reason      varchar(16),
    fixed                 boolean,
    verified_at           timestamptz,
    answered_at           timestamptz  NOT NULL
);
CREATE INDEX survey_response_answered ON survey_response (answered_at);

-- Merged customer records: the survivor is the one person the contact rules count for.
CREATE TABLE customer_alias (
    merged_id   varchar(64) PRIMARY KEY,
    survivor_id varchar(64) NOT NULL
);
