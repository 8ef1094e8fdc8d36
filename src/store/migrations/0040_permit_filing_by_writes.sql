-- A new permit, and a permit's new state or start, are filed under its departments (permit_org_units) by the
-- statements that write them (app::file_new_permit, the permit's transition and draft update), no longer by
-- triggers. On SQLite a trigger on a table makes each INSERT or UPDATE it may fire for keep a statement journal,
-- a copy of every page the statement changes (for a new permit, its row and nine indexes): with the trigger a
-- permit's INSERT took about 29 us, without it 13, and the filing's own statements add about 8 (bench/REPORT.md).
-- A change of a permit's venue or of a venue's departments, which touches many rows, still refiles by trigger
-- (migration 0017).
-- @sqlite
DROP TRIGGER permit_org_units_insert;
DROP TRIGGER permit_org_units_update;
-- @postgresql
CREATE OR REPLACE FUNCTION permit_org_units_permit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.venue_id = NEW.venue_id THEN
    RETURN NULL;
  END IF;
  DELETE FROM permit_org_units WHERE permit_id = OLD.id;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
    SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venues WHERE id = NEW.venue_id
    UNION SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venue_supervisors WHERE venue_id = NEW.venue_id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER permit_org_units_permit ON permits;
CREATE TRIGGER permit_org_units_permit AFTER DELETE OR UPDATE OF venue_id ON permits
FOR EACH ROW EXECUTE FUNCTION permit_org_units_permit();
-- @end
