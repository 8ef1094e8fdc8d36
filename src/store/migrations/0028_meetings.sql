-- 培训、警示教育、约谈与调度会商 (seed 000 二(七)(八) and 四(三); seed 001 二(三)(八)): what departments and villages
-- hold with the venues, units and workers they supervise, kept as records: who organised it, when and where, what it
-- covered, who took part. A worker's training and a venue's interviews can then be looked up, and the town can count
-- them by department.

CREATE TABLE meetings (
  id {{ID}},
  kind TEXT NOT NULL,                     -- training | warning | interview | briefing
  title TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_units(id),  -- organiser
  held_on TEXT NOT NULL,                  -- local date, YYYY-MM-DD
  place TEXT NOT NULL,
  content TEXT NOT NULL,
  headcount INTEGER NOT NULL DEFAULT 0,   -- people who attended, registered or not
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX meetings_org_held ON meetings(org_unit_id, held_on);
CREATE INDEX meetings_held ON meetings(held_on, id);

-- Who took part: venues and units (their representatives; for an interview, the ones interviewed) and registered people.
CREATE TABLE meeting_parties (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  party_type TEXT NOT NULL,               -- venue | unit | person
  party_id BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, party_type, party_id)
);
CREATE INDEX meeting_parties_party ON meeting_parties(party_type, party_id);

UPDATE roles SET permissions = permissions || ' meeting:read meeting:write' WHERE builtin = 1 AND key IN ('admin', 'officer', 'inspector', 'grid');
UPDATE roles SET permissions = permissions || ' meeting:read' WHERE builtin = 1 AND key IN ('venue_manager', 'contractor');
