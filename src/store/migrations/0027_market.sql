-- 动火作业供需对接 (seed 000 二(九): "推动建立动火作业单位和作业人员的供需平台，有效归集规范零散动火作业"): a venue
-- posts the hot work it needs done; construction units answer with the certified workers they would send; the venue
-- awards the work to one of them, who then applies for the hot-work permit as usual. Scattered, informal welding
-- jobs are thereby done by units whose workers hold valid certificates, in view of the town.

CREATE TABLE work_requests (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,            -- XQ-YYYY-NNNN
  venue_id BIGINT NOT NULL REFERENCES venues(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  place TEXT NOT NULL,                    -- where in the venue
  methods TEXT NOT NULL,                  -- JSON array of hotwork_method values
  window_start TEXT NOT NULL,             -- dates, YYYY-MM-DD
  window_end TEXT NOT NULL,
  workers_needed INTEGER NOT NULL,
  budget DOUBLE PRECISION,                -- 元, when given
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  state TEXT NOT NULL,                    -- open | awarded | done | cancelled (an open one past window_end reads as expired)
  awarded_offer_id BIGINT,
  close_note TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX work_requests_state ON work_requests(state, window_end, id);
CREATE INDEX work_requests_venue ON work_requests(venue_id, id);

CREATE TABLE work_offers (
  id {{ID}},
  request_id BIGINT NOT NULL REFERENCES work_requests(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  price DOUBLE PRECISION,                 -- 元, when given
  people TEXT NOT NULL,                   -- JSON array of people ids: the certified workers the unit would send
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,                    -- pending | accepted | declined | withdrawn
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (request_id, unit_id)
);
CREATE INDEX work_offers_unit ON work_offers(unit_id, id);

UPDATE roles SET permissions = permissions || ' market:read market:post market:offer' WHERE builtin = 1 AND key = 'admin';
UPDATE roles SET permissions = permissions || ' market:read' WHERE builtin = 1 AND key IN ('officer', 'inspector', 'grid');
UPDATE roles SET permissions = permissions || ' market:read market:post' WHERE builtin = 1 AND key = 'venue_manager';
UPDATE roles SET permissions = permissions || ' market:read market:offer' WHERE builtin = 1 AND key = 'contractor';
