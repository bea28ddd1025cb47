-- A follow-up ticket opened by a low survey answer names the ticket it follows up and the survey
-- invitation that asked for it (one follow-up per invitation: the request id is derived from it).
ALTER TABLE trouble_ticket ADD COLUMN follow_up_of varchar(64);
ALTER TABLE trouble_ticket ADD COLUMN survey_invitation varchar(64);
