-- A permit's number of workers, kept beside it: the permit list shows it on every row, and counting
-- permit_workers there was a subquery per row (some 8 % of a list page). Written with the workers
-- (save_draft, the demo and the city generator).
ALTER TABLE permits ADD COLUMN worker_count INTEGER NOT NULL DEFAULT 0;
UPDATE permits SET worker_count = (SELECT COUNT(*) FROM permit_workers pw WHERE pw.permit_id = permits.id);
