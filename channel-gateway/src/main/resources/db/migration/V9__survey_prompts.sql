-- Survey questions the gateway put to a customer on a channel that answers with keys: the one
-- question of an SMS (answered by a replied digit) and the prompts of an IVR survey call. A reply
-- is checked against what was asked, then handed to survey-service on survey-replies.
CREATE TABLE survey_prompt (
    invitation_id varchar(64)  NOT NULL,
    channel       varchar(16)  NOT NULL CHECK (channel IN ('sms', 'hotline')),
    customer_id   varchar(64)  NOT NULL,
    questions     text         NOT NULL,
    sent_at       timestamptz  NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    answered_at   timestamptz,
    PRIMARY KEY (invitation_id, channel)
);
CREATE INDEX survey_prompt_open ON survey_prompt (customer_id, sent_at) WHERE answered_at IS NULL;
