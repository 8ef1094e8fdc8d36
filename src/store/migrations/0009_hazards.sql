-- Hazards (隐患) closed to the end: 发现 → 交办 → 整改 → 复查 → 销号, with
-- 挂牌督办; public reports (互联网+举报) that become hazards; rate limits
-- for the public routes. JSON columns hold small records (photos, the
-- rectification, the last recheck, the supervision).

CREATE TABLE hazard_categories (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  default_days INTEGER NOT NULL,       -- working days to rectify a general hazard
  verify_hours INTEGER,                -- public report verified within this many hours; NULL: 3 working days
  public_report INTEGER NOT NULL DEFAULT 1, -- offered on the public report page
  sort INTEGER NOT NULL DEFAULT 0
);
-- The 13 typical hot-work violations (2025 notices) and the common fire hazards
-- of crowded places. This table replaces the earlier hazard_category and
-- report_category dictionaries, which had no time limits.
INSERT INTO hazard_categories (code, label, default_days, verify_hours, public_report, sort) VALUES
  ('illegal_hot_work', '使用、营业期间违规动火', 3, 24, 1, 10),
  ('hotwork_no_approval', '动火作业未进行内部审批', 3, NULL, 0, 20),
  ('unfiled_small_project', '小型工程动火作业未按规定备案', 5, NULL, 1, 30),
  ('hotwork_no_notice', '动火前未在显著位置公告', 1, NULL, 1, 40),
  ('unlicensed_worker', '动火作业人员无证或人证不符', 1, 24, 1, 50),
  ('combustibles_not_cleared', '动火现场周边存放可燃物、易燃易爆物', 1, NULL, 1, 60),
  ('no_fire_separation', '动火区域未进行防火分隔', 3, NULL, 0, 70),
  ('no_extinguisher', '未配置灭火器材或无消防用水', 1, NULL, 1, 80),
  ('no_warning_line', '未设警戒线、安全标识', 1, NULL, 1, 90),
  ('blocked_exit', '占堵疏散通道、锁闭安全出口', 1, 24, 1, 100),
  ('fire_lane_blocked', '占堵消防车通道', 1, 24, 1, 110),
  ('cross_operation', '动火与有火灾爆炸风险的作业交叉', 1, NULL, 0, 120),
  ('no_fire_watch', '动火无专人全过程监护', 1, 24, 1, 130),
  ('no_post_check', '动火结束后未进行现场复查', 1, NULL, 0, 140),
  ('flammable_decoration', '违规使用易燃可燃材料装饰装修', 20, NULL, 1, 150),
  ('wiring', '电气线路乱拉乱接', 5, NULL, 1, 160),
  ('ebike_charging', '电动自行车违规停放、充电', 3, NULL, 1, 170),
  ('facilities_disabled', '消防设施停用或未保持完好有效', 5, 24, 1, 180),
  ('fire_gas_power_misuse', '违规用火、用电、用气', 5, NULL, 1, 190),
  ('other', '其他火灾隐患', 10, NULL, 1, 900);
DELETE FROM dict_items WHERE type_code IN ('hazard_category', 'report_category');
DELETE FROM dict_types WHERE code IN ('hazard_category', 'report_category');

CREATE TABLE hazards (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,          -- YH-YYYYMMDD-NNNN
  source TEXT NOT NULL,                 -- inspection | patrol | report | device | self_check
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  category TEXT NOT NULL REFERENCES hazard_categories(code),
  severity TEXT NOT NULL,               -- general | major
  decision_record TEXT,                 -- the collective decision that made it major
  description TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  found_by_user_id BIGINT REFERENCES users(id),
  found_by TEXT NOT NULL,
  found_at TEXT NOT NULL,
  responsible_unit_id BIGINT REFERENCES units(id),
  responsible_person TEXT,
  responsible_phone TEXT,
  supervisor_org_unit_id BIGINT REFERENCES org_units(id),
  deadline TEXT,                        -- local date; the end of that day in China
  interim_measures TEXT,
  funds DOUBLE PRECISION,
  state TEXT NOT NULL,                  -- reported | rectifying | awaiting_recheck | closed
  overdue INTEGER NOT NULL DEFAULT 0,
  supervision TEXT,                     -- JSON {level, deadline, note, at} while 挂牌督办
  rectification TEXT,                   -- JSON {measures, photos, signedBy, at}
  recheck TEXT,                         -- JSON {passed, note, by, at}: the last one
  report_id BIGINT,
  notice_seq INTEGER,                   -- 限期改正通知书 number within its year
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX hazards_venue ON hazards(venue_id, state);
CREATE INDEX hazards_state_deadline ON hazards(state, deadline);
CREATE INDEX hazards_supervisor ON hazards(supervisor_org_unit_id, state);
CREATE INDEX hazards_found ON hazards(found_at, id);

CREATE TABLE hazard_events (
  id {{ID}},
  hazard_id BIGINT NOT NULL REFERENCES hazards(id),
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id, id);

CREATE TABLE public_reports (
  id {{ID}},
  tracking_code TEXT NOT NULL UNIQUE,
  venue_id BIGINT REFERENCES venues(id),
  venue_name TEXT NOT NULL,
  category TEXT NOT NULL REFERENCES hazard_categories(code),
  description TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  phone TEXT,                           -- never shown to the venue
  device_id TEXT,
  ip TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'received', -- received | accepted | rejected
  overdue INTEGER NOT NULL DEFAULT 0,
  verify_by TEXT NOT NULL,
  result TEXT NOT NULL DEFAULT '',
  hazard_id BIGINT REFERENCES hazards(id),
  triaged_by BIGINT,
  triaged_at TEXT,
  reward TEXT,                          -- JSON {amount, note, at}
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX public_reports_state ON public_reports(state, verify_by);
CREATE INDEX public_reports_venue ON public_reports(venue_id, category, created_at);

-- One row per request that a public rate limit counts; old rows are purged by the timers.
CREATE TABLE rate_hits (
  bucket TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX rate_hits_bucket ON rate_hits(bucket, at);

INSERT INTO dict_items (type_code, value, label, sort, enabled) VALUES
  ('alert_kind', 'hazard_overdue', '隐患逾期未整改', 300, 1),
  ('alert_kind', 'report_overdue', '群众举报逾期未核查', 310, 1);

UPDATE roles SET permissions = permissions || ' hazard:read hazard:report hazard:assign hazard:rectify report:triage' WHERE key = 'admin';
UPDATE roles SET permissions = permissions || ' hazard:read hazard:report hazard:assign report:triage' WHERE key = 'officer';
UPDATE roles SET permissions = permissions || ' hazard:read hazard:report hazard:assign' WHERE key = 'inspector';
UPDATE roles SET permissions = permissions || ' hazard:read hazard:report' WHERE key = 'grid';
UPDATE roles SET permissions = permissions || ' hazard:read hazard:rectify' WHERE key = 'venue_manager';

-- Numbers that count within a period: hazard numbers per day, 限期改正通知书 per year.
CREATE TABLE number_counters (
  name TEXT NOT NULL,
  period TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (name, period)
);
