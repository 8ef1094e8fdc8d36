-- Every change of an alert adds one to its revision, so the live feed can tell
-- two changes apart that fall within the same second of updated_at.
ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
