-- The one-job check at submission (app/permits.cpp, check_rules) asks for a person's or a machine's other permits
-- that overlap the new one. Found through the person (or machine) alone, it visited every permit they ever had: a
-- machine in daily use for years, thousands of rows per submission. Each worker and machine row now carries its
-- permit's planned end, and the index on (person, end) reads only the permits that end after the new one starts:
-- the current and future ones.
-- The copy is written with the row (the permit's window is set by a draft's save, which writes these rows anew)
-- and kept by a trigger should the window change later. Its default sorts after every time, so a row written
-- without it is still found (and checked against the permit's own window), never missed.
ALTER TABLE permit_workers ADD COLUMN planned_end TEXT NOT NULL DEFAULT '9999-12-31T23:59:59Z';
ALTER TABLE permit_machines ADD COLUMN planned_end TEXT NOT NULL DEFAULT '9999-12-31T23:59:59Z';
UPDATE permit_workers SET planned_end = (SELECT planned_end FROM permits WHERE permits.id = permit_workers.permit_id);
UPDATE permit_machines SET planned_end = (SELECT planned_end FROM permits WHERE permits.id = permit_machines.permit_id);
DROP INDEX permit_workers_person;
DROP INDEX permit_machines_machine;
CREATE INDEX permit_workers_person ON permit_workers(person_id, planned_end);
CREATE INDEX permit_machines_machine ON permit_machines(machine_id, planned_end);

-- @sqlite
CREATE TRIGGER permit_parts_window AFTER UPDATE OF planned_end ON permits WHEN OLD.planned_end <> NEW.planned_end BEGIN
  UPDATE permit_workers SET planned_end = NEW.planned_end WHERE permit_id = NEW.id;
  UPDATE permit_machines SET planned_end = NEW.planned_end WHERE permit_id = NEW.id;
END;
-- @postgresql
CREATE FUNCTION permit_parts_window() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE permit_workers SET planned_end = NEW.planned_end WHERE permit_id = NEW.id;
  UPDATE permit_machines SET planned_end = NEW.planned_end WHERE permit_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER permit_parts_window AFTER UPDATE OF planned_end ON permits
FOR EACH ROW WHEN (OLD.planned_end <> NEW.planned_end) EXECUTE FUNCTION permit_parts_window();
-- @end
