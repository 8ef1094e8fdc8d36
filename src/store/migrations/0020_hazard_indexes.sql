-- Two hazard queries that walked every hazard (500,000 at city scale) now read only their own rows.
-- The overdue hazards, newest first: the ledger's 逾期 filter and its count (1.2 s at city scale). Partial, so the
-- filter is written as the literal `h.overdue = 1` (a bound value does not match the index's condition on SQLite).
CREATE INDEX hazards_overdue ON hazards(found_at, id) WHERE overdue = 1;
-- The hazards an inspection found: its detail, and the draws list's count per picked venue (0.5 s for one draw).
-- Most hazards come from no inspection; `inspection_id = ?` implies the condition on both databases.
CREATE INDEX hazards_inspection ON hazards(inspection_id) WHERE inspection_id IS NOT NULL;
