-- Registries for hot work (venues, units, people, certificates, welding
-- machines), the town's calendar and key periods, and the permissions that
-- reach them for the built-in roles of databases created before this file.

CREATE TABLE venues (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,                 -- dictionary venue_type
  crowded INTEGER NOT NULL DEFAULT 1, -- 人员密集场所
  entertainment INTEGER NOT NULL DEFAULT 0, -- 公共娱乐场所
  address TEXT NOT NULL DEFAULT '',
  org_unit_id BIGINT NOT NULL REFERENCES org_units(id), -- the village/community it is in
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  geofence_radius INTEGER NOT NULL DEFAULT 200,
  opening_hours TEXT NOT NULL DEFAULT '[]', -- JSON [{weekday, from, to}]
  closed_dates TEXT NOT NULL DEFAULT '[]',  -- JSON ["YYYY-MM-DD"]
  principal_name TEXT NOT NULL DEFAULT '',
  principal_phone TEXT NOT NULL DEFAULT '',
  fire_manager_name TEXT NOT NULL DEFAULT '',
  fire_manager_phone TEXT NOT NULL DEFAULT '',
  manager_user_id BIGINT REFERENCES users(id),
  qr_token TEXT NOT NULL UNIQUE,
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX venues_org_unit ON venues(org_unit_id);
CREATE INDEX venues_manager ON venues(manager_user_id);

CREATE TABLE venue_supervisors (
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  org_unit_id BIGINT NOT NULL REFERENCES org_units(id),
  PRIMARY KEY (venue_id, org_unit_id)
);
CREATE INDEX venue_supervisors_org ON venue_supervisors(org_unit_id);

CREATE TABLE units (
  id {{ID}},
  name TEXT NOT NULL,
  credit_code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE people (
  id {{ID}},
  name TEXT NOT NULL,
  citizen_id TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL DEFAULT '',
  photo TEXT,                         -- file id of the ID photo
  unit_id BIGINT REFERENCES units(id),
  user_id BIGINT REFERENCES users(id),
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX people_unit ON people(unit_id);
CREATE INDEX people_user ON people(user_id);

CREATE TABLE certificates (
  id {{ID}},
  person_id BIGINT NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL,                 -- dictionary certificate_type
  number TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  first_issued TEXT NOT NULL,         -- local dates
  valid_until TEXT NOT NULL,
  next_review TEXT,
  status TEXT NOT NULL DEFAULT 'valid', -- valid | suspended | revoked
  verified_at TEXT,
  verified_by TEXT,
  verify_result TEXT,
  verify_note TEXT,
  verify_evidence TEXT,               -- file id of the screenshot of the official lookup
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (kind, number)
);
CREATE INDEX certificates_person ON certificates(person_id);
CREATE INDEX certificates_valid_until ON certificates(valid_until);

CREATE TABLE machines (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,          -- 赋码
  chip_id TEXT UNIQUE,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL,                 -- dictionary machine_kind
  model TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active', -- active | locked | retired
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX machines_unit ON machines(unit_id);

-- Public holidays and make-up working days (调休上班), by State Council notice each year.
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,               -- local date
  kind TEXT NOT NULL,                 -- holiday | workday
  name TEXT NOT NULL DEFAULT ''
);

-- 重要节点: periods of raised alert (春节, 两会 ...), set by the town.
CREATE TABLE key_periods (
  id {{ID}},
  name TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);

UPDATE roles SET permissions = permissions || ' venue:read venue:write unit:read unit:write person:read person:write person:pii machine:read machine:write rule:read rule:write' WHERE key = 'admin';
UPDATE roles SET permissions = permissions || ' venue:read venue:write unit:read person:read machine:read rule:read' WHERE key = 'officer';
UPDATE roles SET permissions = permissions || ' venue:read unit:read person:read' WHERE key = 'grid';
UPDATE roles SET permissions = permissions || ' venue:read unit:read person:read machine:read rule:read' WHERE key = 'inspector';
UPDATE roles SET permissions = permissions || ' venue:read venue:write unit:read person:read' WHERE key = 'venue_manager';
UPDATE roles SET permissions = permissions || ' unit:read unit:write person:read person:write machine:read machine:write' WHERE key = 'contractor';

INSERT INTO calendar_days (day, kind, name) VALUES
  ('2025-01-01', 'holiday', '元旦'),
  ('2025-01-28', 'holiday', '春节'),
  ('2025-01-29', 'holiday', '春节'),
  ('2025-01-30', 'holiday', '春节'),
  ('2025-01-31', 'holiday', '春节'),
  ('2025-02-01', 'holiday', '春节'),
  ('2025-02-02', 'holiday', '春节'),
  ('2025-02-03', 'holiday', '春节'),
  ('2025-02-04', 'holiday', '春节'),
  ('2025-04-04', 'holiday', '清明节'),
  ('2025-04-05', 'holiday', '清明节'),
  ('2025-04-06', 'holiday', '清明节'),
  ('2025-05-01', 'holiday', '劳动节'),
  ('2025-05-02', 'holiday', '劳动节'),
  ('2025-05-03', 'holiday', '劳动节'),
  ('2025-05-04', 'holiday', '劳动节'),
  ('2025-05-05', 'holiday', '劳动节'),
  ('2025-05-31', 'holiday', '端午节'),
  ('2025-06-01', 'holiday', '端午节'),
  ('2025-06-02', 'holiday', '端午节'),
  ('2025-10-01', 'holiday', '国庆节、中秋节'),
  ('2025-10-02', 'holiday', '国庆节、中秋节'),
  ('2025-10-03', 'holiday', '国庆节、中秋节'),
  ('2025-10-04', 'holiday', '国庆节、中秋节'),
  ('2025-10-05', 'holiday', '国庆节、中秋节'),
  ('2025-10-06', 'holiday', '国庆节、中秋节'),
  ('2025-10-07', 'holiday', '国庆节、中秋节'),
  ('2025-10-08', 'holiday', '国庆节、中秋节'),
  ('2025-01-26', 'workday', '春节调休上班'),
  ('2025-02-08', 'workday', '春节调休上班'),
  ('2025-04-27', 'workday', '劳动节调休上班'),
  ('2025-09-28', 'workday', '国庆节、中秋节调休上班'),
  ('2025-10-11', 'workday', '国庆节、中秋节调休上班'),
  ('2026-01-01', 'holiday', '元旦'),
  ('2026-01-02', 'holiday', '元旦'),
  ('2026-01-03', 'holiday', '元旦'),
  ('2026-02-15', 'holiday', '春节'),
  ('2026-02-16', 'holiday', '春节'),
  ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'),
  ('2026-02-19', 'holiday', '春节'),
  ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'),
  ('2026-02-22', 'holiday', '春节'),
  ('2026-02-23', 'holiday', '春节'),
  ('2026-04-04', 'holiday', '清明节'),
  ('2026-04-05', 'holiday', '清明节'),
  ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'),
  ('2026-05-02', 'holiday', '劳动节'),
  ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'),
  ('2026-05-05', 'holiday', '劳动节'),
  ('2026-06-19', 'holiday', '端午节'),
  ('2026-06-20', 'holiday', '端午节'),
  ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-25', 'holiday', '中秋节'),
  ('2026-09-26', 'holiday', '中秋节'),
  ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'),
  ('2026-10-02', 'holiday', '国庆节'),
  ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'),
  ('2026-10-05', 'holiday', '国庆节'),
  ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-01-04', 'workday', '元旦调休上班'),
  ('2026-02-14', 'workday', '春节调休上班'),
  ('2026-02-28', 'workday', '春节调休上班'),
  ('2026-05-09', 'workday', '劳动节调休上班'),
  ('2026-09-20', 'workday', '国庆节调休上班'),
  ('2026-10-10', 'workday', '国庆节调休上班');
