-- A new permit is filed under its departments by the statement that writes it (app::file_new_permit), no longer
-- by a trigger. On SQLite any trigger on a table makes each INSERT into it keep a statement journal, a copy of
-- every page the INSERT changes (the permit row and its nine indexes): that copy and the trigger were a fifth of
-- a permit create's time (bench/REPORT.md). Changes to a permit's state, start or venue, and to a venue's
-- departments, still refile by trigger (migration 0017).
-- @sqlite
DROP TRIGGER permit_org_units_insert;
-- @postgresql
DROP TRIGGER permit_org_units_permit ON permits;
CREATE TRIGGER permit_org_units_permit AFTER DELETE OR UPDATE OF venue_id, state, planned_start ON permits
FOR EACH ROW EXECUTE FUNCTION permit_org_units_permit();
-- @end
