-- Enforcement (执法): cases from a hazard, a public report or a machine
-- warning; 一案双罚 penalties on the unit and its responsible persons;
-- referral (移交) to the enforcement department; 警示曝光 with personal data
-- removed; and 失信联合惩戒 marks on units.

CREATE TABLE cases (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,          -- AJ-YYYY-NNNN
  source_type TEXT NOT NULL,            -- hazard | report | alert | other
  source_id BIGINT,
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  unit_id BIGINT REFERENCES units(id),  -- the party (当事单位), when registered
  party_name TEXT NOT NULL,
  responsible_persons TEXT NOT NULL DEFAULT '[]', -- JSON [{name, role}]
  title TEXT NOT NULL,
  facts TEXT NOT NULL,
  legal_basis TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,                  -- open | decided | referred | closed
  decision_number TEXT,
  decided_on TEXT,
  referral TEXT,                        -- JSON {department, note, at, status, result}
  closed_at TEXT,
  created_by BIGINT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_venue ON cases(venue_id, state);
CREATE INDEX cases_source ON cases(source_type, source_id);

CREATE TABLE case_penalties (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  target TEXT NOT NULL,                 -- unit | person
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',        -- for persons: 主要负责人, 直接责任人 ...
  kind TEXT NOT NULL,                   -- warning | fine | suspend | detention | other
  amount DOUBLE PRECISION,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_penalties_case ON case_penalties(case_id);

CREATE TABLE case_events (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  by_name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE exposures (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,                -- already de-identified
  venue_name TEXT NOT NULL,
  published_at TEXT NOT NULL,
  withdrawn_at TEXT,
  created_by BIGINT
);

CREATE TABLE credit_marks (
  id {{ID}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  case_id BIGINT REFERENCES cases(id),
  reason TEXT NOT NULL,
  marked_at TEXT NOT NULL,
  marked_by BIGINT,
  lifted_at TEXT,
  lift_reason TEXT
);
CREATE INDEX credit_marks_unit ON credit_marks(unit_id);

UPDATE roles SET permissions = permissions || ' case:read case:write' WHERE key IN ('admin', 'officer', 'inspector');
