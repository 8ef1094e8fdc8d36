-- Hot-work permits (动火作业证) with their people, machines, measures, gas
-- analyses, post-work fire-watch rounds and a timeline of commands; uploaded
-- files (photos); alerts from every source; job leases for the scheduler.

CREATE TABLE files (
  id TEXT PRIMARY KEY,                -- random, not guessable
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data TEXT NOT NULL,                 -- base64; kept in the database so every instance and backup has it
  uploaded_by BIGINT,
  created_at TEXT NOT NULL
);

CREATE TABLE measure_templates (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE permits (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,        -- DH-YYYYMMDD-NNNN
  public_token TEXT NOT NULL UNIQUE,  -- 一证一码: the public page's key
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  place TEXT NOT NULL,
  indoor INTEGER NOT NULL DEFAULT 0,
  indoor_reason TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  method TEXT NOT NULL,
  level_declared TEXT NOT NULL,
  level TEXT NOT NULL,
  level_reasons TEXT NOT NULL DEFAULT '[]',
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL,
  unit_id BIGINT REFERENCES units(id),
  job_leader_id BIGINT NOT NULL REFERENCES people(id),
  fire_watch_id BIGINT NOT NULL REFERENCES people(id),
  approver_user_id BIGINT NOT NULL REFERENCES users(id),
  applicant_user_id BIGINT NOT NULL REFERENCES users(id),
  risk_identification TEXT NOT NULL DEFAULT '',
  risk_assessment TEXT NOT NULL DEFAULT '',
  controls TEXT NOT NULL DEFAULT '[]',      -- JSON [{control, person}]
  fire_separation INTEGER NOT NULL DEFAULT 0,
  wind_force INTEGER,
  gas_required INTEGER NOT NULL DEFAULT 0,
  photos_before TEXT NOT NULL DEFAULT '[]', -- file ids
  photos_after TEXT NOT NULL DEFAULT '[]',
  survey TEXT,                              -- JSON {at, by, lat, lng, photos, note}
  risk_confirmation TEXT,                   -- JSON {at, by, note}
  fire_watch_checked_in_at TEXT,
  state TEXT NOT NULL,
  state_reason TEXT NOT NULL DEFAULT '',
  started_at TEXT,
  finished_at TEXT,
  closed_at TEXT,
  site_clear INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX permits_venue ON permits(venue_id);
CREATE INDEX permits_state ON permits(state, planned_start);
CREATE INDEX permits_window ON permits(planned_start, planned_end);

CREATE TABLE permit_participants (
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,                 -- applicant | approver | job_leader | fire_watch | worker | venue_manager
  PRIMARY KEY (permit_id, user_id, role)
);
CREATE INDEX permit_participants_user ON permit_participants(user_id);

CREATE TABLE permit_workers (
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  certificate_id BIGINT NOT NULL REFERENCES certificates(id),
  checked_in_at TEXT,
  PRIMARY KEY (permit_id, person_id)
);
CREATE INDEX permit_workers_person ON permit_workers(person_id);

CREATE TABLE permit_machines (
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  machine_id BIGINT NOT NULL REFERENCES machines(id),
  PRIMARY KEY (permit_id, machine_id)
);
CREATE INDEX permit_machines_machine ON permit_machines(machine_id);

CREATE TABLE permit_measures (
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  applies INTEGER,                    -- NULL until confirmed; 1 涉及 / 0 不涉及
  confirmed_by TEXT,
  confirmed_at TEXT,
  PRIMARY KEY (permit_id, code)
);

CREATE TABLE permit_gas_analyses (
  id {{ID}},
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  sampled_at TEXT NOT NULL,
  gas TEXT NOT NULL,
  lel_percent DOUBLE PRECISION NOT NULL,
  result_percent DOUBLE PRECISION NOT NULL,
  analyst TEXT NOT NULL,
  recorded_by BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX permit_gas_permit ON permit_gas_analyses(permit_id);

CREATE TABLE permit_rounds (
  id {{ID}},
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  seq INTEGER NOT NULL,
  due_at TEXT NOT NULL,
  done_at TEXT,
  result TEXT,                        -- normal | abnormal
  note TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  done_by BIGINT,
  UNIQUE (permit_id, seq)
);
CREATE INDEX permit_rounds_due ON permit_rounds(done_at, due_at);

CREATE TABLE permit_events (
  id {{ID}},
  permit_id BIGINT NOT NULL REFERENCES permits(id),
  at TEXT NOT NULL,
  command TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX permit_events_permit ON permit_events(permit_id, id);

CREATE TABLE permit_counters (
  day TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);

-- One alert mechanism for every source (timers, machines, alarms, reports).
CREATE TABLE alerts (
  id {{ID}},
  kind TEXT NOT NULL,                 -- permit_overrun, round_late, ...
  severity TEXT NOT NULL,             -- info | warning | critical
  source_type TEXT NOT NULL,          -- permit | machine | report ...
  source_id TEXT NOT NULL,
  venue_id BIGINT REFERENCES venues(id),
  title TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open', -- open | acknowledged | handled | false_alarm
  opened_at TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by BIGINT,
  closed_at TEXT,
  closed_by BIGINT,
  result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_state ON alerts(state, opened_at);
CREATE INDEX alerts_source ON alerts(source_type, source_id, kind);

-- Scheduler leases, so that one instance runs each job at a time.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until TEXT NOT NULL
);

INSERT INTO measure_templates (code, label, sort) VALUES
  ('clear_combustibles', '动火点周围及上下方易燃可燃物已清除，无法移除的已用不燃材料覆盖隔离', 10),
  ('fire_separation', '动火区域与使用、营业区域已用不燃材料进行防火分隔', 20),
  ('extinguishers', '现场已配备灭火器、灭火毯等消防器材，消防水源可用', 30),
  ('warning_zone', '已设置警戒区和安全警示标识', 40),
  ('notice_posted', '已在建筑主入口和作业现场张贴动火公告', 50),
  ('evacuation_clear', '疏散通道、安全出口和消防车通道畅通', 60),
  ('openings_sealed', '孔洞、窨井、地沟、电缆沟等已封堵，防止火花溅落', 70),
  ('cylinders', '气瓶直立固定，氧气瓶与乙炔瓶间距不小于 5 米，距动火点不小于 10 米，乙炔瓶装有回火防止器', 80),
  ('welder_grounding', '电焊机摆放位置合理，接地可靠，电源线完好', 90),
  ('no_cross_work', '周边无易燃易爆物品装卸、油漆喷涂等交叉作业', 100),
  ('ppe', '作业人员正确佩戴防护用品，高处作业有防火花飞溅措施', 110),
  ('fire_watch_ready', '监护人已到岗，携带灭火器材，全程监护', 120),
  ('briefing', '已向作业人员进行安全技术交底', 130),
  ('gas_tested', '涉及可燃气体的部位已进行气体检测并合格', 140);

INSERT INTO dict_types (code, name, description, builtin, created_at) VALUES
  ('alert_kind', '预警类型', '各来源预警的类型', 1, '2025-01-01T00:00:00Z');
INSERT INTO dict_items (type_code, value, label, sort, enabled) VALUES
  ('alert_kind', 'permit_not_started', '动火作业证逾期未开工', 10, 1),
  ('alert_kind', 'permit_overrun', '超时动火', 20, 1),
  ('alert_kind', 'round_late', '作业后监护巡查逾期', 30, 1),
  ('alert_kind', 'fire_watch_left', '监护人离岗', 40, 1),
  ('alert_kind', 'round_abnormal', '监护巡查发现异常', 50, 1);

UPDATE roles SET permissions = permissions || ' permit:read permit:apply permit:approve permit:watch permit:revoke alert:read alert:handle' WHERE key = 'admin';
UPDATE roles SET permissions = permissions || ' permit:read permit:revoke alert:read alert:handle' WHERE key IN ('officer', 'inspector');
UPDATE roles SET permissions = permissions || ' permit:read alert:read' WHERE key = 'grid';
UPDATE roles SET permissions = permissions || ' permit:read permit:approve alert:read' WHERE key = 'venue_manager';
UPDATE roles SET permissions = permissions || ' permit:read permit:apply' WHERE key = 'contractor';
UPDATE roles SET permissions = permissions || ' permit:read' WHERE key = 'welder';
UPDATE roles SET permissions = permissions || ' permit:read permit:watch' WHERE key = 'fire_watch';
