-- 评价: the venue rates the chosen unit's work from 1 to 5 when it confirms the request done (or once afterwards);
-- a unit's ratings are part of the standing that venues see when they choose among answers.
ALTER TABLE work_requests ADD COLUMN rating INTEGER;
