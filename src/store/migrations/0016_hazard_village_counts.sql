-- Hazard counts per village (the venue's org unit) and supervising department, kept from hazard_counts by
-- triggers: the summary of a caller who sees everything (the town, the district) reads a few hundred rows
-- instead of one per venue. A venue moved to another village moves its counts (app: move_venue_hazard_counts).
CREATE TABLE hazard_village_counts (
  village_org_unit_id BIGINT NOT NULL,
  supervisor_org_unit_id BIGINT NOT NULL,
  reported BIGINT NOT NULL DEFAULT 0,
  rectifying BIGINT NOT NULL DEFAULT 0,
  awaiting_recheck BIGINT NOT NULL DEFAULT 0,
  closed BIGINT NOT NULL DEFAULT 0,
  overdue BIGINT NOT NULL DEFAULT 0,
  supervised BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (village_org_unit_id, supervisor_org_unit_id)
);

INSERT INTO hazard_village_counts (village_org_unit_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
SELECT v.org_unit_id, k.supervisor_org_unit_id, SUM(k.reported), SUM(k.rectifying), SUM(k.awaiting_recheck), SUM(k.closed),
       SUM(k.overdue), SUM(k.supervised)
FROM hazard_counts k JOIN venues v ON v.id = k.venue_id GROUP BY v.org_unit_id, k.supervisor_org_unit_id;

-- @sqlite
CREATE TRIGGER hazard_village_counts_insert AFTER INSERT ON hazard_counts BEGIN
  INSERT INTO hazard_village_counts (village_org_unit_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
  SELECT v.org_unit_id, NEW.supervisor_org_unit_id, NEW.reported, NEW.rectifying, NEW.awaiting_recheck, NEW.closed, NEW.overdue, NEW.supervised
  FROM venues v WHERE v.id = NEW.venue_id
  ON CONFLICT (village_org_unit_id, supervisor_org_unit_id) DO UPDATE SET
    reported = reported + excluded.reported, rectifying = rectifying + excluded.rectifying,
    awaiting_recheck = awaiting_recheck + excluded.awaiting_recheck, closed = closed + excluded.closed,
    overdue = overdue + excluded.overdue, supervised = supervised + excluded.supervised;
END;
CREATE TRIGGER hazard_village_counts_update AFTER UPDATE ON hazard_counts BEGIN
  UPDATE hazard_village_counts SET reported = reported + NEW.reported - OLD.reported,
    rectifying = rectifying + NEW.rectifying - OLD.rectifying, awaiting_recheck = awaiting_recheck + NEW.awaiting_recheck - OLD.awaiting_recheck,
    closed = closed + NEW.closed - OLD.closed, overdue = overdue + NEW.overdue - OLD.overdue, supervised = supervised + NEW.supervised - OLD.supervised
  WHERE village_org_unit_id = (SELECT org_unit_id FROM venues WHERE id = NEW.venue_id) AND supervisor_org_unit_id = NEW.supervisor_org_unit_id;
END;
CREATE TRIGGER hazard_village_counts_delete AFTER DELETE ON hazard_counts BEGIN
  UPDATE hazard_village_counts SET reported = reported - OLD.reported, rectifying = rectifying - OLD.rectifying,
    awaiting_recheck = awaiting_recheck - OLD.awaiting_recheck, closed = closed - OLD.closed, overdue = overdue - OLD.overdue,
    supervised = supervised - OLD.supervised
  WHERE village_org_unit_id = (SELECT org_unit_id FROM venues WHERE id = OLD.venue_id) AND supervisor_org_unit_id = OLD.supervisor_org_unit_id;
END;
-- @postgresql
CREATE FUNCTION hazard_village_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  village BIGINT;
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE hazard_village_counts SET reported = reported - OLD.reported, rectifying = rectifying - OLD.rectifying,
      awaiting_recheck = awaiting_recheck - OLD.awaiting_recheck, closed = closed - OLD.closed, overdue = overdue - OLD.overdue,
      supervised = supervised - OLD.supervised
    WHERE village_org_unit_id = (SELECT org_unit_id FROM venues WHERE id = OLD.venue_id) AND supervisor_org_unit_id = OLD.supervisor_org_unit_id;
    RETURN NULL;
  END IF;
  SELECT org_unit_id INTO village FROM venues WHERE id = NEW.venue_id;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO hazard_village_counts AS t (village_org_unit_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
    VALUES (village, NEW.supervisor_org_unit_id, NEW.reported, NEW.rectifying, NEW.awaiting_recheck, NEW.closed, NEW.overdue, NEW.supervised)
    ON CONFLICT (village_org_unit_id, supervisor_org_unit_id) DO UPDATE SET
      reported = t.reported + excluded.reported, rectifying = t.rectifying + excluded.rectifying,
      awaiting_recheck = t.awaiting_recheck + excluded.awaiting_recheck, closed = t.closed + excluded.closed,
      overdue = t.overdue + excluded.overdue, supervised = t.supervised + excluded.supervised;
  ELSE
    UPDATE hazard_village_counts SET reported = reported + NEW.reported - OLD.reported,
      rectifying = rectifying + NEW.rectifying - OLD.rectifying, awaiting_recheck = awaiting_recheck + NEW.awaiting_recheck - OLD.awaiting_recheck,
      closed = closed + NEW.closed - OLD.closed, overdue = overdue + NEW.overdue - OLD.overdue, supervised = supervised + NEW.supervised - OLD.supervised
    WHERE village_org_unit_id = village AND supervisor_org_unit_id = NEW.supervisor_org_unit_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER hazard_village_counts_change AFTER INSERT OR UPDATE OR DELETE ON hazard_counts
FOR EACH ROW EXECUTE FUNCTION hazard_village_counts_apply();
-- @end
