-- A package change the rules approved is recorded on its task before the BSS is called, so a retry
-- (after a lost answer or a crash) carries the same decision out again under the same reference
-- and never decides anew against an account the first call already changed.
ALTER TABLE automation_task ADD COLUMN decision text;
