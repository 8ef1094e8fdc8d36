-- The day's next permit number, drawn at commit on PostgreSQL (app/permits.cpp, insert_draft) by the permit's
-- INSERT, sent with the COMMIT (migration 0023), so that the day's counter row, which every create of the day
-- waits on, stays locked only while the server runs that round trip. The rule is the one SQLite's single writer follows in the application
-- (next_number): the counter's next value, passing over a number a permit already holds (one the counter did not
-- give, e.g. an imported permit).
-- @postgresql
CREATE FUNCTION next_permit_number(p_day TEXT, p_prefix TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
  k BIGINT;
  candidate TEXT;
BEGIN
  INSERT INTO permit_counters (day, last) VALUES (p_day, 0) ON CONFLICT (day) DO NOTHING;
  LOOP
    UPDATE permit_counters SET last = last + 1 WHERE day = p_day RETURNING last INTO k;
    candidate := p_prefix || lpad(k::TEXT, greatest(4, length(k::TEXT)), '0');
    EXIT WHEN NOT EXISTS (SELECT 1 FROM permits WHERE number = candidate);
  END LOOP;
  RETURN candidate;
END
$$;
-- @end
