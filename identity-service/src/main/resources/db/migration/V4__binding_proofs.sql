-- A one-time code is either for signing in with a bound number or for proving a number before
-- binding it (a customer binds only what they prove). A code of one purpose never serves the other.
ALTER TABLE otp_challenge ADD COLUMN purpose varchar(16) NOT NULL DEFAULT 'sign-in';
