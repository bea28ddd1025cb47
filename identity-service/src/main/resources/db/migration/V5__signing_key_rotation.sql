-- Sign-in assertion keys rotate: a new key is published in the JWKS before it signs anything
-- (activates_at), and the key it replaces stays published until the last assertion it signed has
-- expired (retires_at). Retired keys are deleted a day later, private half included.
ALTER TABLE signing_key ADD COLUMN activates_at timestamptz;
ALTER TABLE signing_key ADD COLUMN retires_at timestamptz;
UPDATE signing_key SET activates_at = created_at;
ALTER TABLE signing_key ALTER COLUMN activates_at SET NOT NULL;
