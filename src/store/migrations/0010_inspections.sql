-- Inspections (监督检查) with checklists, patrols by grid workers, and
-- 双随机 draws whose seed and inputs are kept so anyone can re-run them.

CREATE TABLE checklist_templates (
  venue_type TEXT PRIMARY KEY,          -- a venue_type dictionary value, or 'default'
  items TEXT NOT NULL,                  -- JSON [{code, label, category}] (category: hazard_categories.code)
  updated_at TEXT NOT NULL
);
INSERT INTO checklist_templates (venue_type, items, updated_at) VALUES
  ('default', '[{"code":"exits","label":"疏散通道、安全出口畅通，未锁闭","category":"blocked_exit"},{"code":"fire_lane","label":"消防车通道畅通","category":"fire_lane_blocked"},{"code":"facilities","label":"灭火器、消火栓、应急照明、疏散指示完好有效","category":"facilities_disabled"},{"code":"wiring","label":"电气线路规范，无乱拉乱接","category":"wiring"},{"code":"ebike","label":"无电动自行车违规停放、充电","category":"ebike_charging"},{"code":"decoration","label":"未使用易燃可燃材料装饰装修","category":"flammable_decoration"},{"code":"hot_work","label":"无违规动火，动火作业持证、有作业证、有监护","category":"illegal_hot_work"}]', '2025-01-01T00:00:00Z'),
  ('mall', '[{"code":"exits","label":"疏散通道、安全出口畅通，未锁闭","category":"blocked_exit"},{"code":"fire_lane","label":"消防车通道畅通","category":"fire_lane_blocked"},{"code":"facilities","label":"自动喷水、火灾报警、防排烟系统运行正常","category":"facilities_disabled"},{"code":"control_room","label":"消防控制室双人值班、持证上岗","category":"facilities_disabled"},{"code":"wiring","label":"电气线路规范，无乱拉乱接","category":"wiring"},{"code":"hot_work","label":"营业期间无动火作业；动火有作业证、公告和监护","category":"illegal_hot_work"},{"code":"decoration","label":"装修材料燃烧性能符合要求","category":"flammable_decoration"}]', '2025-01-01T00:00:00Z'),
  ('entertainment', '[{"code":"exits","label":"安全出口数量足够、畅通，营业期间未锁闭","category":"blocked_exit"},{"code":"decoration","label":"包房、走道未使用易燃可燃装饰材料","category":"flammable_decoration"},{"code":"facilities","label":"火灾报警、喷淋、应急照明完好有效","category":"facilities_disabled"},{"code":"hot_work","label":"营业期间无任何动火作业","category":"illegal_hot_work"},{"code":"wiring","label":"音响灯光线路规范","category":"wiring"}]', '2025-01-01T00:00:00Z'),
  ('hospital', '[{"code":"exits","label":"病区疏散通道畅通，安全出口未锁闭","category":"blocked_exit"},{"code":"oxygen","label":"供氧区域严禁烟火，无违规用火用电","category":"fire_gas_power_misuse"},{"code":"facilities","label":"消防设施完好有效，夜间巡查每 2 小时一次","category":"facilities_disabled"},{"code":"hot_work","label":"动火前风险评估、防火分隔、专人监护","category":"illegal_hot_work"},{"code":"ebike","label":"无电动自行车违规停放、充电","category":"ebike_charging"}]', '2025-01-01T00:00:00Z'),
  ('school', '[{"code":"exits","label":"教学楼、宿舍疏散通道畅通","category":"blocked_exit"},{"code":"dorm","label":"宿舍无违规使用大功率电器","category":"fire_gas_power_misuse"},{"code":"facilities","label":"消防设施完好有效","category":"facilities_disabled"},{"code":"hot_work","label":"上课期间动火有风险评估、防火分隔和监护","category":"illegal_hot_work"},{"code":"ebike","label":"无电动自行车违规停放、充电","category":"ebike_charging"}]', '2025-01-01T00:00:00Z');

CREATE TABLE inspections (
  id {{ID}},
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  kind TEXT NOT NULL,                   -- routine 日常 | special 专项 | random 双随机 | patrol 网格巡查
  unannounced INTEGER NOT NULL DEFAULT 0, -- 四不两直
  planned_on TEXT NOT NULL,             -- local date
  state TEXT NOT NULL,                  -- planned | done
  inspector_ids TEXT NOT NULL,          -- JSON [user ids]
  draw_id BIGINT,
  results TEXT,                         -- JSON [{code, label, passed, note}]
  summary TEXT,
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  inspected_at TEXT,
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX inspections_venue ON inspections(venue_id, planned_on);
CREATE INDEX inspections_state ON inspections(state, planned_on);

ALTER TABLE hazards ADD COLUMN inspection_id BIGINT REFERENCES inspections(id);

CREATE TABLE draws (
  id {{ID}},
  name TEXT NOT NULL,
  seed TEXT NOT NULL,                   -- decimal 64-bit
  inputs TEXT NOT NULL,                 -- JSON: everything the draw read (pool, roster, conflicts, counts)
  result TEXT NOT NULL,                 -- JSON [{venueId, inspectorIds}]
  published_at TEXT,
  created_by BIGINT,
  created_at TEXT NOT NULL
);

UPDATE roles SET permissions = permissions || ' inspection:read inspection:write draw:write' WHERE key = 'admin';
UPDATE roles SET permissions = permissions || ' inspection:read inspection:write' WHERE key IN ('officer', 'inspector');
UPDATE roles SET permissions = permissions || ' inspection:read inspection:write' WHERE key = 'grid';
