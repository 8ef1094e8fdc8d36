-- The one-job check when a permit is submitted, approved or started looks for the fire watch's other permits
-- that overlap its window; without this it read every permit of the city.
CREATE INDEX permits_fire_watch ON permits(fire_watch_id, planned_end);
