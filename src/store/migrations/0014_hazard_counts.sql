-- Hazard counts per venue and supervising department, kept by triggers in the transaction that changes a
-- hazard, so the hazard summary reads one row per venue instead of every hazard (bench/REPORT.md row 5).
-- supervisor_org_unit_id is 0 when the hazard has none. Rows may fall to all zeros; they are kept.
CREATE TABLE hazard_counts (
  venue_id BIGINT NOT NULL,
  supervisor_org_unit_id BIGINT NOT NULL,
  reported BIGINT NOT NULL DEFAULT 0,
  rectifying BIGINT NOT NULL DEFAULT 0,
  awaiting_recheck BIGINT NOT NULL DEFAULT 0,
  closed BIGINT NOT NULL DEFAULT 0,
  overdue BIGINT NOT NULL DEFAULT 0,
  supervised BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (venue_id, supervisor_org_unit_id)
);
CREATE INDEX hazard_counts_supervisor ON hazard_counts(supervisor_org_unit_id);
CREATE INDEX hazards_found_by ON hazards(found_by_user_id);

INSERT INTO hazard_counts (venue_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
SELECT venue_id, COALESCE(supervisor_org_unit_id, 0),
       SUM(CASE WHEN state = 'reported' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'rectifying' THEN 1 ELSE 0 END),
       SUM(CASE WHEN state = 'awaiting_recheck' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END),
       SUM(overdue), SUM(CASE WHEN supervision IS NOT NULL THEN 1 ELSE 0 END)
FROM hazards GROUP BY venue_id, COALESCE(supervisor_org_unit_id, 0);

-- @sqlite
CREATE TRIGGER hazard_counts_insert AFTER INSERT ON hazards BEGIN
  INSERT INTO hazard_counts (venue_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
  VALUES (NEW.venue_id, COALESCE(NEW.supervisor_org_unit_id, 0), NEW.state = 'reported', NEW.state = 'rectifying',
          NEW.state = 'awaiting_recheck', NEW.state = 'closed', NEW.overdue, NEW.supervision IS NOT NULL)
  ON CONFLICT (venue_id, supervisor_org_unit_id) DO UPDATE SET
    reported = reported + excluded.reported, rectifying = rectifying + excluded.rectifying,
    awaiting_recheck = awaiting_recheck + excluded.awaiting_recheck, closed = closed + excluded.closed,
    overdue = overdue + excluded.overdue, supervised = supervised + excluded.supervised;
END;
CREATE TRIGGER hazard_counts_delete AFTER DELETE ON hazards BEGIN
  UPDATE hazard_counts SET reported = reported - (OLD.state = 'reported'), rectifying = rectifying - (OLD.state = 'rectifying'),
    awaiting_recheck = awaiting_recheck - (OLD.state = 'awaiting_recheck'), closed = closed - (OLD.state = 'closed'),
    overdue = overdue - OLD.overdue, supervised = supervised - (OLD.supervision IS NOT NULL)
  WHERE venue_id = OLD.venue_id AND supervisor_org_unit_id = COALESCE(OLD.supervisor_org_unit_id, 0);
END;
CREATE TRIGGER hazard_counts_update AFTER UPDATE OF state, overdue, supervision, venue_id, supervisor_org_unit_id ON hazards BEGIN
  UPDATE hazard_counts SET reported = reported - (OLD.state = 'reported'), rectifying = rectifying - (OLD.state = 'rectifying'),
    awaiting_recheck = awaiting_recheck - (OLD.state = 'awaiting_recheck'), closed = closed - (OLD.state = 'closed'),
    overdue = overdue - OLD.overdue, supervised = supervised - (OLD.supervision IS NOT NULL)
  WHERE venue_id = OLD.venue_id AND supervisor_org_unit_id = COALESCE(OLD.supervisor_org_unit_id, 0);
  INSERT INTO hazard_counts (venue_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
  VALUES (NEW.venue_id, COALESCE(NEW.supervisor_org_unit_id, 0), NEW.state = 'reported', NEW.state = 'rectifying',
          NEW.state = 'awaiting_recheck', NEW.state = 'closed', NEW.overdue, NEW.supervision IS NOT NULL)
  ON CONFLICT (venue_id, supervisor_org_unit_id) DO UPDATE SET
    reported = reported + excluded.reported, rectifying = rectifying + excluded.rectifying,
    awaiting_recheck = awaiting_recheck + excluded.awaiting_recheck, closed = closed + excluded.closed,
    overdue = overdue + excluded.overdue, supervised = supervised + excluded.supervised;
END;
-- @postgresql
CREATE FUNCTION hazard_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE hazard_counts SET
      reported = reported - (OLD.state = 'reported')::int, rectifying = rectifying - (OLD.state = 'rectifying')::int,
      awaiting_recheck = awaiting_recheck - (OLD.state = 'awaiting_recheck')::int, closed = closed - (OLD.state = 'closed')::int,
      overdue = overdue - OLD.overdue, supervised = supervised - (OLD.supervision IS NOT NULL)::int
    WHERE venue_id = OLD.venue_id AND supervisor_org_unit_id = COALESCE(OLD.supervisor_org_unit_id, 0);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO hazard_counts AS k (venue_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised)
    VALUES (NEW.venue_id, COALESCE(NEW.supervisor_org_unit_id, 0), (NEW.state = 'reported')::int, (NEW.state = 'rectifying')::int,
            (NEW.state = 'awaiting_recheck')::int, (NEW.state = 'closed')::int, NEW.overdue, (NEW.supervision IS NOT NULL)::int)
    ON CONFLICT (venue_id, supervisor_org_unit_id) DO UPDATE SET
      reported = k.reported + excluded.reported, rectifying = k.rectifying + excluded.rectifying,
      awaiting_recheck = k.awaiting_recheck + excluded.awaiting_recheck, closed = k.closed + excluded.closed,
      overdue = k.overdue + excluded.overdue, supervised = k.supervised + excluded.supervised;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER hazard_counts_change AFTER INSERT OR DELETE OR UPDATE OF state, overdue, supervision, venue_id, supervisor_org_unit_id
ON hazards FOR EACH ROW EXECUTE FUNCTION hazard_counts_apply();
-- @end
