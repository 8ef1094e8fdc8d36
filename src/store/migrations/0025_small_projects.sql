-- 小型工程备案: a small building project below the construction-permit limits (限额以下小型工程) that involves hot
-- work in a crowded place is filed with the town (属地备案) before work starts. The department that receives it
-- accepts it or returns it for correction, records its safety guidance and unannounced checks (暗访检查) against
-- it, and closes it when the project is finished.

CREATE TABLE small_projects (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,            -- BA-YYYY-NNNN
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),       -- 施工单位
  org_unit_id BIGINT NOT NULL REFERENCES org_units(id), -- 受理部门
  name TEXT NOT NULL,
  kind TEXT NOT NULL,                     -- new | rebuild | extend | demolish | decorate
  location TEXT NOT NULL,                 -- where in the venue
  investment DOUBLE PRECISION NOT NULL,   -- 万元
  area DOUBLE PRECISION NOT NULL,         -- 平方米
  planned_start TEXT NOT NULL,            -- dates, YYYY-MM-DD
  planned_end TEXT NOT NULL,
  hot_work_methods TEXT NOT NULL,         -- JSON array of hotwork_method values
  fire_measures TEXT NOT NULL,
  site_manager TEXT NOT NULL,
  site_phone TEXT NOT NULL,
  state TEXT NOT NULL,                    -- submitted | accepted | returned | finished
  state_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX small_projects_venue ON small_projects(venue_id, planned_start);
CREATE INDEX small_projects_org_state ON small_projects(org_unit_id, state, id);
CREATE INDEX small_projects_created_by ON small_projects(created_by);

CREATE TABLE small_project_events (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES small_projects(id),
  at TEXT NOT NULL,
  action TEXT NOT NULL,                   -- submit | resubmit | accept | return | guide | check | finish
  by_name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX small_project_events_project ON small_project_events(project_id, id);

-- The new permissions, for the built-in roles that already exist (bootstrap adds the roles only when missing).
UPDATE roles SET permissions = permissions || ' project:read project:file project:review' WHERE builtin = 1 AND key = 'admin';
UPDATE roles SET permissions = permissions || ' project:read project:review' WHERE builtin = 1 AND key IN ('officer', 'inspector');
UPDATE roles SET permissions = permissions || ' project:read' WHERE builtin = 1 AND key = 'grid';
UPDATE roles SET permissions = permissions || ' project:read project:file' WHERE builtin = 1 AND key IN ('venue_manager', 'contractor');
