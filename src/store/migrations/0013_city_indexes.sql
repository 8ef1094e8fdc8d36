-- Indexes for city-scale lists (bench/REPORT.md): the permit list in its order (planned_start DESC, id DESC),
-- alone and per venue or state, and the permit board's day window.
CREATE INDEX permits_start_id ON permits(planned_start, id);
CREATE INDEX permits_venue_start ON permits(venue_id, planned_start, id);
DROP INDEX permits_venue;
