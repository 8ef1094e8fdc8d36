-- 等保 数据备份恢复: the database is backed up by the server itself, every night at the hour the system
-- administrator sets (the settings row 'backup_schedule'), and on demand; each backup is checked once made (the
-- copy opens and passes SQLite's quick_check, or pg_restore can list it) and only the newest `keep` files are
-- kept, here and in the second store when one is set (等保 异地备份). This table is the history: a backup's files are
-- removed when it falls out of the kept ones (state 'expired').
CREATE TABLE backups (
  id {{ID}},
  kind TEXT NOT NULL,                  -- scheduled | manual
  state TEXT NOT NULL,                 -- running | ok | failed | expired
  file TEXT NOT NULL DEFAULT '',       -- its name in the backup directory
  size_bytes BIGINT NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL DEFAULT '',     -- of the file as written, to check a copy kept elsewhere
  counts TEXT NOT NULL DEFAULT '{}',   -- rows of the main tables found in the copy (SQLite)
  error TEXT NOT NULL DEFAULT '',
  offsite TEXT NOT NULL DEFAULT '',     -- the copy to the second store ([backup] copy_to): '' none set, 'ok', or why it failed
  started_by BIGINT REFERENCES users(id),  -- null: the schedule
  started_at TEXT NOT NULL,
  finished_at TEXT
);
-- One backup at a time, across instances sharing a PostgreSQL database too.
CREATE UNIQUE INDEX backups_one_running ON backups(state) WHERE state = 'running';
CREATE INDEX backups_kind_started ON backups(kind, started_at);

-- backup:write belongs to the system administrator's duty (三员分立): the built-in roles that hold it, and any role
-- holding the rest of that duty, so that with separation of duties on the duty keeps a holder.
UPDATE roles SET permissions = permissions || ' backup:write'
WHERE (builtin = 1 AND key IN ('admin', 'sys_admin'))
   OR ((' ' || permissions || ' ') LIKE '% user:write %' AND (' ' || permissions || ' ') LIKE '% org:write %'
       AND (' ' || permissions || ' ') LIKE '% dict:write %' AND (' ' || permissions || ' ') LIKE '% token:write %'
       AND (' ' || permissions || ' ') LIKE '% webhook:write %');
