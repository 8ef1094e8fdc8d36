-- Each permit filed under each department it falls under (its venue's own unit and the venue's supervising
-- units), with the permit list's sort columns. The list filtered by department walks that department's rows in
-- the list's order instead of testing every permit's venue against the department (bench/REPORT.md row 3).
-- Kept by triggers in the transaction that changes a permit, a venue's unit or a venue's supervisors (which the
-- application replaces by DELETE and INSERT, never UPDATE).
-- @sqlite
CREATE TABLE permit_org_units (
  permit_id BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL,
  state TEXT NOT NULL,
  planned_start TEXT NOT NULL,
  PRIMARY KEY (permit_id, org_unit_id)
) WITHOUT ROWID;
-- @postgresql
CREATE TABLE permit_org_units (
  permit_id BIGINT NOT NULL,
  org_unit_id BIGINT NOT NULL,
  state TEXT NOT NULL,
  planned_start TEXT NOT NULL,
  PRIMARY KEY (permit_id, org_unit_id)
);
-- @end
CREATE INDEX permit_org_units_state ON permit_org_units(org_unit_id, state, planned_start, permit_id);
CREATE INDEX permit_org_units_start ON permit_org_units(org_unit_id, planned_start, permit_id);

INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
SELECT p.id, u.org_unit_id, p.state, p.planned_start FROM permits p
JOIN (SELECT id AS venue_id, org_unit_id FROM venues UNION SELECT venue_id, org_unit_id FROM venue_supervisors) u
  ON u.venue_id = p.venue_id;

-- @sqlite
CREATE TRIGGER permit_org_units_insert AFTER INSERT ON permits BEGIN
  INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
  SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venues WHERE id = NEW.venue_id
  UNION SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venue_supervisors WHERE venue_id = NEW.venue_id;
END;
-- Only a real change: a write that sets the columns to what they were (saving a draft) costs nothing here.
CREATE TRIGGER permit_org_units_update AFTER UPDATE OF state, planned_start ON permits
WHEN OLD.venue_id = NEW.venue_id AND (OLD.state <> NEW.state OR OLD.planned_start <> NEW.planned_start) BEGIN
  UPDATE permit_org_units SET state = NEW.state, planned_start = NEW.planned_start WHERE permit_id = NEW.id;
END;
CREATE TRIGGER permit_org_units_move AFTER UPDATE OF venue_id ON permits WHEN OLD.venue_id <> NEW.venue_id BEGIN
  DELETE FROM permit_org_units WHERE permit_id = OLD.id;
  INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
  SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venues WHERE id = NEW.venue_id
  UNION SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venue_supervisors WHERE venue_id = NEW.venue_id;
END;
CREATE TRIGGER permit_org_units_delete AFTER DELETE ON permits BEGIN
  DELETE FROM permit_org_units WHERE permit_id = OLD.id;
END;
-- A venue's departments change: its permits are filed anew.
CREATE TRIGGER permit_org_units_venue AFTER UPDATE OF org_unit_id ON venues BEGIN
  DELETE FROM permit_org_units WHERE permit_id IN (SELECT id FROM permits WHERE venue_id = NEW.id);
  INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
  SELECT p.id, u.org_unit_id, p.state, p.planned_start FROM permits p
  JOIN (SELECT id AS venue_id, org_unit_id FROM venues WHERE id = NEW.id
        UNION SELECT venue_id, org_unit_id FROM venue_supervisors WHERE venue_id = NEW.id) u ON u.venue_id = p.venue_id
  WHERE p.venue_id = NEW.id;
END;
CREATE TRIGGER permit_org_units_supervisor_insert AFTER INSERT ON venue_supervisors BEGIN
  INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
  SELECT id, NEW.org_unit_id, state, planned_start FROM permits WHERE venue_id = NEW.venue_id
  ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER permit_org_units_supervisor_delete AFTER DELETE ON venue_supervisors BEGIN
  DELETE FROM permit_org_units WHERE org_unit_id = OLD.org_unit_id
    AND permit_id IN (SELECT id FROM permits WHERE venue_id = OLD.venue_id)
    AND NOT EXISTS (SELECT 1 FROM venues WHERE id = OLD.venue_id AND org_unit_id = OLD.org_unit_id);
END;
-- @postgresql
CREATE FUNCTION permit_org_units_permit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.venue_id = NEW.venue_id THEN
    -- Only a real change: a write that sets the columns to what they were (saving a draft) costs nothing here.
    IF OLD.state <> NEW.state OR OLD.planned_start <> NEW.planned_start THEN
      UPDATE permit_org_units SET state = NEW.state, planned_start = NEW.planned_start WHERE permit_id = NEW.id;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM permit_org_units WHERE permit_id = OLD.id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
    SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venues WHERE id = NEW.venue_id
    UNION SELECT NEW.id, org_unit_id, NEW.state, NEW.planned_start FROM venue_supervisors WHERE venue_id = NEW.venue_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER permit_org_units_permit AFTER INSERT OR DELETE OR UPDATE OF venue_id, state, planned_start ON permits
FOR EACH ROW EXECUTE FUNCTION permit_org_units_permit();
-- A venue's unit or supervisors change: its permits are filed anew.
CREATE FUNCTION permit_org_units_venue() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v BIGINT;
BEGIN
  IF TG_TABLE_NAME = 'venues' THEN
    v := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    v := OLD.venue_id;
  ELSE
    v := NEW.venue_id;
  END IF;
  DELETE FROM permit_org_units WHERE permit_id IN (SELECT id FROM permits WHERE venue_id = v);
  INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start)
  SELECT p.id, u.org_unit_id, p.state, p.planned_start FROM permits p
  JOIN (SELECT id AS venue_id, org_unit_id FROM venues WHERE id = v
        UNION SELECT venue_id, org_unit_id FROM venue_supervisors WHERE venue_id = v) u ON u.venue_id = p.venue_id
  WHERE p.venue_id = v;
  RETURN NULL;
END $$;
CREATE TRIGGER permit_org_units_venue AFTER UPDATE OF org_unit_id ON venues
FOR EACH ROW EXECUTE FUNCTION permit_org_units_venue();
CREATE TRIGGER permit_org_units_supervisors AFTER INSERT OR DELETE ON venue_supervisors
FOR EACH ROW EXECUTE FUNCTION permit_org_units_venue();
-- @end
