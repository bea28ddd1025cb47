-- A manager may close a pain point that turned out to be none (a one-off, a wrong mapping), with
-- the reason; it then gets no warnings and no verification.
ALTER TABLE pain_point ADD COLUMN dismissal text;
ALTER TABLE pain_point ADD COLUMN dismissed_by varchar(64);
ALTER TABLE pain_point ADD COLUMN dismissed_at timestamptz;
