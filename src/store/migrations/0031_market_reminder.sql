-- An open request whose period is about to start and that has no unit chosen reminds its poster once (the timers
-- set this when they do).
ALTER TABLE work_requests ADD COLUMN reminded_at TEXT;
