-- The promise after each step (the ticket's expected resolution date), so every channel shows
-- "expected by" moving when the ticket waits on the customer and when it resumes.
ALTER TABLE progress_step ADD COLUMN expected_by timestamptz;
