-- 专项行动 (e.g. 今冬明春消防安全防范): a time-boxed campaign with key tasks, each led by a department with others
-- helping. The departments report their progress on a task (what was done, venues checked, hazards found and
-- fixed) until the lead department completes it; the task force sees which tasks are late or silent.

CREATE TABLE campaigns (
  id {{ID}},
  name TEXT NOT NULL,
  goal TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL,               -- dates, YYYY-MM-DD
  ends_on TEXT NOT NULL,
  phases TEXT NOT NULL DEFAULT '[]',     -- JSON [{name, from, to}]
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
);

CREATE TABLE campaign_tasks (
  id {{ID}},
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  seq INTEGER NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  lead_org_unit_id BIGINT NOT NULL REFERENCES org_units(id),
  helper_org_unit_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array of org unit ids
  due_on TEXT NOT NULL,
  done_at TEXT,
  done_summary TEXT NOT NULL DEFAULT '',
  late_notified_at TEXT                  -- when the lead department and the task force were told it is late
);
CREATE INDEX campaign_tasks_campaign ON campaign_tasks(campaign_id, seq);

CREATE TABLE campaign_reports (
  id {{ID}},
  task_id BIGINT NOT NULL REFERENCES campaign_tasks(id),
  org_unit_id BIGINT NOT NULL REFERENCES org_units(id),
  content TEXT NOT NULL,
  venues_checked INTEGER NOT NULL DEFAULT 0,
  hazards_found INTEGER NOT NULL DEFAULT 0,
  hazards_fixed INTEGER NOT NULL DEFAULT 0,
  by_name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX campaign_reports_task ON campaign_reports(task_id, id);

UPDATE roles SET permissions = permissions || ' campaign:read campaign:write campaign:report' WHERE builtin = 1 AND key = 'admin';
UPDATE roles SET permissions = permissions || ' campaign:read campaign:report' WHERE builtin = 1 AND key IN ('officer', 'inspector');
UPDATE roles SET permissions = permissions || ' campaign:read' WHERE builtin = 1 AND key = 'grid';
