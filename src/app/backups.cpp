#include "app/backups.h"

#include <fcntl.h>
#include <spawn.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/audit.h"
#include "app/input.h"
#include "app/notify.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "store/migrations.h"

extern char** environ;

namespace huoyan::app {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path backup_dir = "backups";
fs::path copy_dir;  // the second store; empty: none
// Only a server makes the nightly backups (configure_backups); the timers also run in tests and the CLI.
bool schedule_on = false;
std::mutex worker_mutex;
// The backup under way, or the last one: joined before the next starts, at shutdown (wait_for_backups), and at the
// latest when the process exits.
struct Worker {
  std::thread thread;
  ~Worker() {
    if (thread.joinable()) thread.join();
  }
} worker;

struct Schedule {
  bool enabled = true;
  int hour = 2;   // local (Asia/Shanghai), 0–23: the quiet hours
  int keep = 14;  // the newest backups whose files are kept
};

Schedule load_schedule(store::Conn& c) {
  Schedule s;
  auto stored = c.text("SELECT value FROM settings WHERE key = 'backup_schedule'");
  if (!stored) return s;
  json j = json::parse(*stored, nullptr, false);
  if (!j.is_object()) return s;
  s.enabled = j.value("enabled", s.enabled);
  s.hour = j.value("hour", s.hour);
  s.keep = j.value("keep", s.keep);
  return s;
}

json schedule_json(const Schedule& s) { return {{"enabled", s.enabled}, {"hour", s.hour}, {"keep", s.keep}}; }

// The moment of a local date's backup hour.
clock::TimePoint mark_of(const std::string& local_date, int hour) { return clock::day_start(local_date) + std::chrono::hours(hour); }

// When the schedule next starts a backup: now when today's hour has come and none was started since.
std::optional<clock::TimePoint> next_run(store::Conn& c, const Schedule& s, clock::TimePoint now) {
  if (!s.enabled) return std::nullopt;
  std::string today = clock::local_date(now);
  auto mark = mark_of(today, s.hour);
  if (now < mark) return mark;
  if (!c.row("SELECT id FROM backups WHERE kind = 'scheduled' AND started_at >= ?", {clock::iso_utc(mark)})) return now;
  return mark_of(clock::add_days(today, 1), s.hour);
}

std::string sqlite_path(const store::Db& db) { return db.url().substr(7); }
bool in_memory(const store::Db& db) { return db.url() == "sqlite::memory:"; }

void sqlite_exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

// Opens the finished copy as a restore would and checks it: quick_check, then the main tables' rows.
json check_sqlite_copy(const fs::path& file) {
  sqlite3* db = nullptr;
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(nullptr, sqlite3_close);
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    throw std::runtime_error("备份文件无法打开：" + message);
  }
  guard.reset(db);
  auto scalar_text = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  };
  std::string check = scalar_text("PRAGMA quick_check(1)");
  if (check != "ok") throw std::runtime_error("备份文件校验未通过：" + check);
  json counts = json::object();
  for (const char* table : {"venues", "people", "machines", "permits", "hazards", "users", "audit_log"})
    counts[table] = std::stoll(scalar_text(std::string("SELECT COUNT(*) FROM ") + table));
  counts["schemaVersion"] = std::stoll(scalar_text("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  return counts;
}

void fsync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags);
  if (fd < 0) throw std::runtime_error("cannot open " + p.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync failed: " + p.string());
}

// Runs `args` (args[0] looked up on PATH) with `extra_env` added; returns its exit status and what it wrote on
// stderr (the end of it).
std::pair<int, std::string> run_tool(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  fs::path err_file = backup_dir / (".tool-" + std::to_string(::getpid()) + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  for (const auto& e : extra_env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    fs::remove(err_file);
    return {-1, "未找到 " + args[0] + "（请安装 postgresql-client）"};
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in(err_file);
  std::string err((std::istreambuf_iterator<char>(in)), {});
  fs::remove(err_file);
  if (err.size() > 400) err = err.substr(err.size() - 400);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, err};
}

std::string percent_decoded(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// pg_dump of the whole database in its custom format, checked by pg_restore --list. The password leaves the URL
// for PGPASSWORD, so that it is not on the process list.
json dump_postgres(const std::string& url, const fs::path& target) {
  std::string bare = url;
  std::vector<std::string> env;
  size_t scheme = bare.find("://");
  size_t at = bare.find('@', scheme);
  size_t colon = bare.find(':', scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos && colon != std::string::npos && colon < at) {
    env.push_back("PGPASSWORD=" + percent_decoded(bare.substr(colon + 1, at - colon - 1)));
    bare.erase(colon, at - colon);
  }
  fs::path partial = target.string() + ".partial";
  auto [dumped, dump_err] = run_tool({"pg_dump", "--format=custom", "--file=" + partial.string(), "--dbname=" + bare}, env);
  if (dumped != 0) {
    fs::remove(partial);
    throw std::runtime_error("pg_dump 失败：" + dump_err);
  }
  auto [listed, list_err] = run_tool({"pg_restore", "--list", partial.string()}, {});
  if (listed != 0) {
    fs::remove(partial);
    throw std::runtime_error("备份文件校验未通过（pg_restore --list）：" + list_err);
  }
  fsync_path(partial, O_RDONLY);
  fs::rename(partial, target);
  fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
  return json::object();
}

std::string sha256_of_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()), static_cast<unsigned long long>(in.gcount()));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// The checked backup `file` copied to the second store (under a temporary name, renamed once its SHA-256 is the
// original's): "ok", or why not. A failed copy leaves the backup itself good.
std::string copy_offsite(const fs::path& file, const std::string& sha) {
  fs::path target = copy_dir / file.filename();
  fs::path partial = target.string() + ".partial";
  std::error_code ignored;
  try {
    fs::create_directories(copy_dir);
    fs::copy_file(file, partial, fs::copy_options::overwrite_existing);
    fsync_path(partial, O_RDONLY);
    if (sha256_of_file(partial) != sha) throw std::runtime_error("副本的 SHA-256 与备份不符");
    fs::rename(partial, target);
    fsync_path(copy_dir, O_RDONLY | O_DIRECTORY);
    return "ok";
  } catch (const std::exception& e) {
    fs::remove(partial, ignored);
    spdlog::error("backup copy to {}: {}", copy_dir.string(), e.what());
    if (auto* io = dynamic_cast<const fs::filesystem_error*>(&e)) return "无法写入 " + copy_dir.string() + "（" + io->code().message() + "）";
    return e.what();
  }
}

json backup_row(const json& r) {
  json counts = json::parse(r["counts"].get<std::string>(), nullptr, false);
  return {{"id", r["id"]},
          {"kind", r["kind"]},
          {"state", r["state"]},
          {"file", r["file"]},
          {"sizeBytes", r["size_bytes"]},
          {"sha256", r["sha256"]},
          {"counts", counts.is_object() ? counts : json::object()},
          {"error", r["error"]},
          {"offsite", r["offsite"]},
          {"startedBy", r["started_by_name"].is_null() ? json("定时备份") : r["started_by_name"]},
          {"startedAt", r["started_at"]},
          {"finishedAt", r["finished_at"]}};
}

constexpr const char* kBackupSelect =
    "SELECT b.id, b.kind, b.state, b.file, b.size_bytes, b.sha256, b.counts, b.error, b.offsite, b.started_at, b.finished_at, "
    "u.name AS started_by_name FROM backups b LEFT JOIN users u ON u.id = b.started_by";

json read_backup(store::Conn& c, long long id) {
  auto r = c.row(std::string(kBackupSelect) + " WHERE b.id = ?", {id});
  store::as_int(*r, {"id", "size_bytes"});
  return backup_row(*r);
}

// The backup `id` (its row already written, state running): made, checked, recorded; the oldest beyond the
// kept number removed. Runs on the worker thread.
void make_backup(store::Db& db, const access::Caller& who, long long id, const std::string& file) {
  fs::path target = backup_dir / file;
  json counts = json::object();
  std::string sha, error, offsite;
  long long size = 0;
  try {
    if (db.dialect() == store::Dialect::Sqlite) {
      copy_sqlite_database(sqlite_path(db), target.string());
      counts = check_sqlite_copy(target);
    } else {
      counts = dump_postgres(db.url(), target);
    }
    size = static_cast<long long>(fs::file_size(target));
    sha = sha256_of_file(target);
    if (!copy_dir.empty()) offsite = copy_offsite(target, sha);
  } catch (const std::exception& e) {
    error = e.what();
    std::error_code ignored;
    fs::remove(target, ignored);
    spdlog::error("backup {}: {}", file, error);
  }
  std::vector<std::string> expired;
  db.write([&](store::Conn& c) {
    c.exec("UPDATE backups SET state = ?, size_bytes = ?, sha256 = ?, counts = ?, error = ?, offsite = ?, finished_at = ? WHERE id = ?",
           {error.empty() ? "ok" : "failed", size, sha, counts.dump(), error, offsite, clock::now_iso(), id});
    record(c, who, error.empty() ? "system.backup" : "system.backup_failed", "backup", std::to_string(id), nullptr,
           {{"file", file}, {"sizeBytes", size}, {"sha256", sha}, {"error", error}, {"offsite", offsite}});
    bool offsite_failed = !offsite.empty() && offsite != "ok";
    if (!error.empty() || offsite_failed) {
      Notice n;
      n.event = "system.backup_failed";
      n.title = error.empty() ? "数据备份未能复制到异地存储" : "数据备份失败";
      n.body = error.empty() ? "备份 " + file + " 已完成，但未能复制到 " + copy_dir.string() + "：" + offsite + "。请检查该存储是否可用。"
                             : "备份 " + file + " 未能完成：" + error + "。请检查备份目录 " + backup_dir.string() +
                                   " 的空间和权限，再到“数据备份”页面立即备份一次。";
      n.link = "/backups";
      n.holders_of = {"backup:write"};
      n.permission = "backup:write";
      notify(c, n);
      if (!error.empty()) return;
    }
    int keep = load_schedule(c).keep;
    // Past the newest `keep` (SQLite needs a LIMIT before an OFFSET; -1 is none).
    std::string beyond = c.dialect() == store::Dialect::Sqlite ? " LIMIT -1 OFFSET ?" : " OFFSET ?";
    for (const auto& r : c.rows("SELECT id, file FROM backups WHERE state = 'ok' ORDER BY started_at DESC, id DESC" + beyond,
                                {static_cast<long long>(keep)})) {
      expired.push_back(r["file"]);
      c.exec("UPDATE backups SET state = 'expired' WHERE id = ?", {store::as_id(r["id"])});
    }
  });
  for (const auto& f : expired) {
    std::error_code ignored;
    fs::remove(backup_dir / f, ignored);
    if (!copy_dir.empty()) fs::remove(copy_dir / f, ignored);
  }
}

json begin_backup(store::Db& db, const access::Caller& who, const std::string& kind) {
  if (in_memory(db)) throw conflict("BACKUP_UNAVAILABLE", "内存数据库无法备份");
  std::lock_guard lock(worker_mutex);
  std::error_code ec;
  fs::create_directories(backup_dir, ec);
  if (ec) throw conflict("BACKUP_DIR_UNAVAILABLE", "备份目录无法创建：" + backup_dir.string());
  std::string stamp = clock::iso_utc(clock::now() + clock::kChinaOffset);  // the name in local time, as operators read it
  std::string file = "huoyan-" + stamp.substr(0, 10) + "-" + stamp.substr(11, 2) + stamp.substr(14, 2) + stamp.substr(17, 2) +
                     (db.dialect() == store::Dialect::Sqlite ? ".db" : ".dump");
  long long id = db.write([&](store::Conn& c) {
    if (c.row("SELECT id FROM backups WHERE state = 'running'")) throw conflict("BACKUP_RUNNING", "已有备份正在进行，请稍后再试");
    // Two backups within a second: the second is "...-2.db", so that none overwrites another.
    std::string name = file;
    for (int n = 2; c.row("SELECT id FROM backups WHERE file = ?", {name}); ++n)
      name = std::string(file).insert(file.rfind('.'), "-" + std::to_string(n));
    file = name;
    return c.insert("INSERT INTO backups (kind, state, file, started_by, started_at) VALUES (?, 'running', ?, ?, ?)",
                    {kind, file, who.user_id ? store::Value(who.user_id) : store::Value(nullptr), clock::now_iso()});
  });
  if (worker.thread.joinable()) worker.thread.join();  // the previous backup, whose row is already finished
  worker.thread = std::thread([&db, who, id, file] {
    pthread_setname_np(pthread_self(), "backup");
    try {
      make_backup(db, who, id, file);
    } catch (const std::exception& e) {
      spdlog::error("backup {}: {}", file, e.what());
    }
  });
  return db.read([&](store::Conn& c) { return read_backup(c, id); });
}

}  // namespace

void configure_backups(const store::Db& db, const BackupConfig& config) {
  schedule_on = config.scheduled;
  copy_dir = config.copy_to.empty() ? fs::path() : fs::absolute(config.copy_to);
  const std::string& dir = config.dir;
  if (!dir.empty()) backup_dir = fs::absolute(dir);
  else if (db.dialect() == store::Dialect::Sqlite && !in_memory(db)) backup_dir = fs::absolute(sqlite_path(db)).parent_path() / "backups";
  else backup_dir = fs::absolute("data/backups");
}

void copy_sqlite_database(const std::string& source_path, const std::string& target) {
  std::string partial = target + ".partial";
  fs::remove(partial);
  sqlite3 *src = nullptr, *dst = nullptr;
  auto close_both = [&] {
    sqlite3_close(src);
    sqlite3_close(dst);
  };
  std::string error;
  try {
    if (sqlite3_open_v2(source_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error(src ? sqlite3_errmsg(src) : "cannot open the database");
    sqlite3_busy_timeout(src, 10000);
    if (sqlite3_open(partial.c_str(), &dst) != SQLITE_OK) throw std::runtime_error(dst ? sqlite3_errmsg(dst) : "cannot create the copy");
    // One read transaction for the whole copy: its snapshot stays the same however the server writes meanwhile
    // (the copy would otherwise start over after each write).
    sqlite_exec(src, "BEGIN");
    sqlite_exec(src, "SELECT COUNT(*) FROM sqlite_master");
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) throw std::runtime_error(sqlite3_errmsg(dst));
    int rc;
    while ((rc = sqlite3_backup_step(b, 4096)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      if (rc != SQLITE_OK) sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errstr(rc));
    // One self-contained file (the copy has the source's WAL mode, which would leave -wal and -shm files beside it
    // once opened); the server sets WAL again when it opens a restored copy.
    sqlite_exec(dst, "PRAGMA journal_mode=DELETE");
    sqlite_exec(src, "COMMIT");
    close_both();
    src = dst = nullptr;
    fsync_path(partial, O_RDONLY);
    fs::rename(partial, target);
    fsync_path(fs::absolute(target).parent_path(), O_RDONLY | O_DIRECTORY);
  } catch (const std::exception& e) {
    close_both();
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
}

Restored restore_sqlite_database(const std::string& file, const std::string& db_path) {
  if (!fs::is_regular_file(file)) throw std::runtime_error("备份文件不存在：" + file);
  json counts = check_sqlite_copy(file);
  int newest = std::stoi(std::string(store::embedded_migrations().back().name).substr(0, 4));
  if (counts["schemaVersion"].get<long long>() > newest)
    throw std::runtime_error("备份来自较新版本的火眼（数据库版本 " + counts["schemaVersion"].dump() + "，本程序支持到 " +
                             std::to_string(newest) + "），请用新版本恢复");
  fs::path target = fs::absolute(db_path);
  Restored out{counts, ""};
  if (fs::exists(target)) {
    // A server holds a shared lock on its database file for as long as it has it open (WAL mode).
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(target.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw std::runtime_error("数据库正在使用中（服务仍在运行？），请先停止服务再恢复");
    std::string stamp = clock::iso_utc(clock::now() + clock::kChinaOffset);
    out.set_aside = target.string() + ".before-restore-" + stamp.substr(0, 10) + "-" + stamp.substr(11, 2) + stamp.substr(14, 2) + stamp.substr(17, 2);
    for (const char* suffix : {"", "-wal", "-shm"})
      if (fs::exists(target.string() + suffix)) fs::rename(target.string() + suffix, out.set_aside + suffix);
  }
  fs::path partial = target.string() + ".partial";
  try {
    fs::copy_file(file, partial, fs::copy_options::overwrite_existing);
    fsync_path(partial, O_RDONLY);
    fs::rename(partial, target);
    fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    if (!out.set_aside.empty())
      for (const char* suffix : {"", "-wal", "-shm"})
        if (fs::exists(out.set_aside + suffix)) fs::rename(out.set_aside + suffix, target.string() + suffix, ignored);
    throw;
  }
  auto db = store::Db::open("sqlite:" + target.string(), 1);
  static const access::Caller console{.username = "console", .name = "服务器命令行", .scope = access::DataScope::All};
  db->write([&](store::Conn& c) {
    record(c, console, "system.restore", "backup", "", json{{"file", out.set_aside}},
           {{"file", fs::absolute(file).string()}, {"counts", counts}});
  });
  return out;
}

json backup_overview(store::Db& db) {
  return db.read([&](store::Conn& c) {
    Schedule s = load_schedule(c);
    json items = json::array();
    auto rows = c.rows(std::string(kBackupSelect) + " ORDER BY b.id DESC LIMIT 50");
    store::as_int(rows, {"id", "size_bytes"});
    bool running = false;
    for (const auto& r : rows) {
      items.push_back(backup_row(r));
      running = running || r["state"] == "running";
    }
    auto next = schedule_on ? next_run(c, s, clock::now()) : std::nullopt;
    struct statvfs vfs {};
    json free_bytes = nullptr;
    if (::statvfs(fs::exists(backup_dir) ? backup_dir.c_str() : backup_dir.parent_path().c_str(), &vfs) == 0)
      free_bytes = static_cast<long long>(vfs.f_bavail) * static_cast<long long>(vfs.f_frsize);
    return json{{"settings", schedule_json(s)},
                {"scheduleOff", !schedule_on},
                {"directory", backup_dir.string()},
                {"copyTo", copy_dir.empty() ? json(nullptr) : json(copy_dir.string())},
                {"freeBytes", free_bytes},
                {"nextRunAt", next ? json(clock::iso_utc(*next)) : json(nullptr)},
                {"running", running},
                {"items", items}};
  });
}

json start_backup(store::Db& db, const access::Caller& who) { return begin_backup(db, who, "manual"); }

json update_backup_settings(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  Schedule s;
  s.enabled = in.boolean("enabled", "定时备份");
  s.hour = static_cast<int>(in.integer("hour", "每天备份的时刻", 0, 23));
  s.keep = static_cast<int>(in.integer("keep", "保留份数", 1, 365));
  return db.write([&](store::Conn& c) {
    Schedule before = load_schedule(c);
    c.exec("DELETE FROM settings WHERE key = 'backup_schedule'");
    c.exec("INSERT INTO settings (key, value) VALUES ('backup_schedule', ?)", {schedule_json(s).dump()});
    record(c, who, "system.backup_settings", "settings", "backup_schedule", schedule_json(before), schedule_json(s));
    return schedule_json(s);
  });
}

int run_backup_schedule(store::Db& db) {
  if (!schedule_on || in_memory(db)) return 0;
  bool due = db.read([&](store::Conn& c) {
    auto now = clock::now();
    auto next = next_run(c, load_schedule(c), now);
    return next && *next <= now && !c.row("SELECT id FROM backups WHERE state = 'running'");
  });
  if (!due) return 0;
  static const access::Caller schedule{.name = "定时备份", .scope = access::DataScope::All};
  try {
    begin_backup(db, schedule, "scheduled");
  } catch (const ApiError& e) {
    spdlog::warn("scheduled backup not started: {}", e.what());
    return 0;
  }
  return 1;
}

void recover_interrupted_backups(store::Db& db) {
  db.write([](store::Conn& c) {
    c.exec("UPDATE backups SET state = 'failed', error = '服务在备份完成前停止', finished_at = ? WHERE state = 'running'", {clock::now_iso()});
  });
}

void wait_for_backups() {
  std::lock_guard lock(worker_mutex);
  if (worker.thread.joinable()) worker.thread.join();
}

}  // namespace huoyan::app
