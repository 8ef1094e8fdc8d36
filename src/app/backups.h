#pragma once
// 等保 数据备份恢复: the server backs its database up by itself, every night at the hour the system administrator
// sets and whenever they ask, into one directory, checks each copy once made and keeps the newest ones.
// SQLite: a consistent copy made with SQLite's online backup while the server keeps writing, then opened and
// checked (quick_check, the main tables' rows counted). PostgreSQL: `pg_dump --format=custom`, checked by
// `pg_restore --list`. The key file of the sealed fields is never in a backup (it is kept apart, see README).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

struct BackupConfig {
  // Where backups go ([backup] dir, HUOYAN_BACKUP_DIR); empty: `backups` beside the SQLite file, or data/backups
  // for PostgreSQL.
  std::string dir;
  // A second store, such as another machine's share mounted here ([backup] copy_to, HUOYAN_BACKUP_COPY_TO): each
  // checked backup is copied there too and the copy's SHA-256 compared (等保 异地备份); empty: none.
  std::string copy_to;
  // false ([backup] scheduled = false, HUOYAN_BACKUP_SCHEDULED=0): no nightly backup, for a deployment that backs
  // up by other means (and the benchmarks); backups on demand still work.
  bool scheduled = true;
};
// Set once before serving.
void configure_backups(const store::Db& db, const BackupConfig& config);

// A consistent copy of the SQLite database at `source_path` (one moment of it, however it is written meanwhile)
// into `target`: written under a temporary name, checked as a restore would open it, then renamed, so that no file
// under a backup's name is incomplete or unchecked. Returns the check's counts (main tables' rows, schemaVersion).
// Throws, leaving nothing behind. `pages_per_step`: how much is copied between looks at the source (tests use few).
nlohmann::json copy_sqlite_database(const std::string& source_path, const std::string& target, int pages_per_step = 4096);

// A postgresql:// URL for pg_dump without its password, which goes to PGPASSWORD instead (not on the process
// list): the userinfo's or a password= query parameter's, percent-decoded; none when the URL has none.
struct PgTarget {
  std::string url;
  std::optional<std::string> password;
};
PgTarget pg_dump_target(const std::string& url);

// `huoyan restore`: replaces the SQLite database at `db_path` with the backup `file`, for a stopped server. The
// backup is checked first (it opens, passes quick_check, its schema is one this binary knows, and `key_file` opens
// its sealed fields) and made ready beside the database (the restore recorded in its audit log, system.restore);
// a database still open (a server running) is refused. The current database is set aside as
// PATH.before-restore-<local time> and the copy takes its place. Throws with the database unchanged when any
// step fails.
struct Restored {
  nlohmann::json counts;   // the restored copy's rows, as a backup's
  std::string set_aside;   // where the replaced database went ("" when there was none)
};
Restored restore_sqlite_database(const std::string& file, const std::string& db_path, const std::string& key_file);

// {settings {enabled, hour, keep}, scheduleOff (by the config), directory, copyTo (null: none), freeBytes, nextRunAt, running,
// items: the latest 50 backups}.
nlohmann::json backup_overview(store::Db& db);
// Starts a backup on a thread of its own and returns its row (state running); 409 BACKUP_RUNNING while one is.
nlohmann::json start_backup(store::Db& db, const access::Caller& who);
nlohmann::json update_backup_settings(store::Db& db, const access::Caller& who, const nlohmann::json& body);
// Timer: starts the night's backup once the set hour has come, if none was started since. Returns 1 if it did.
int run_backup_schedule(store::Db& db);
// At start-up: a backup left running by a server that stopped is marked failed. At shutdown: waits for the
// backup under way to end.
void recover_interrupted_backups(store::Db& db);
void wait_for_backups();

}  // namespace huoyan::app
