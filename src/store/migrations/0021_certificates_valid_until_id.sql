-- The certificate list's order is (valid_until, id). On PostgreSQL an index on valid_until alone made the first page
-- read and sort every certificate of the earliest date (4,000 at city scale: 80-140 ms for 20 rows); SQLite's index
-- already ends with the rowid, so it reads the same either way.
DROP INDEX certificates_valid_until;
CREATE INDEX certificates_valid_until ON certificates(valid_until, id);
