-- Alerts as a feed: every change stamps updated_at, so open consoles (the SSE
-- stream) and other instances can follow what changed since a cursor.
-- source_label names the source for people (machine code, permit number, holder);
-- photos are the file ids of the handling record.

ALTER TABLE alerts ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN source_label TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
UPDATE alerts SET updated_at = COALESCE(closed_at, acknowledged_at, opened_at);
CREATE INDEX alerts_updated ON alerts(updated_at);

-- Jobs that run once per local day (certificate expiry) record the day here.
CREATE TABLE job_days (
  name TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (name, day)
);
