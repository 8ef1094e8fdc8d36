-- The permit list's order (planned_start, id) and the window test of the day board and of a period (planned_end)
-- in one index instead of two: the board and a period then read planned_end from the index and look up only the
-- permits that meet the day, and a new permit writes one index entry fewer. (SQLite ends every index with the
-- row's id, so permits_window was (planned_start, planned_end, id): not the list's order.)
CREATE INDEX permits_start_id_end ON permits(planned_start, id, planned_end);
DROP INDEX permits_start_id;
DROP INDEX permits_window;
