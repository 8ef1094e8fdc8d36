#include "app/backups.h"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "app/audit.h"
#include "app/bootstrap.h"
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
// The backup under way, or the last one: joined before the next starts and by wait_for_backups, which the server
// calls before its Db goes (the thread uses it).
std::thread worker;

const access::Caller kSchedule{.name = "定时备份", .scope = access::DataScope::All};

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
  s.hour = std::clamp(j.value("hour", s.hour), 0, 23);
  s.keep = std::clamp(j.value("keep", s.keep), 1, 365);
  return s;
}

json schedule_json(const Schedule& s) { return {{"enabled", s.enabled}, {"hour", s.hour}, {"keep", s.keep}}; }

// The moment of a local date's backup hour.
clock::TimePoint mark_of(const std::string& local_date, int hour) { return clock::day_start(local_date) + std::chrono::hours(hour); }

// When the schedule next starts a backup: once a local day, at its hour or, if the server was not running then,
// as soon as it is.
std::optional<clock::TimePoint> next_run(store::Conn& c, const Schedule& s, clock::TimePoint now) {
  if (!s.enabled) return std::nullopt;
  std::string today = clock::local_date(now), tomorrow = clock::add_days(today, 1);
  bool done_today = c.row("SELECT id FROM backups WHERE kind = 'scheduled' AND started_at >= ? AND started_at < ?",
                          {clock::iso_utc(clock::day_start(today)), clock::iso_utc(clock::day_start(tomorrow))})
                        .has_value();
  if (done_today) return mark_of(tomorrow, s.hour);
  return std::max(now, mark_of(today, s.hour));
}

// "2026-12-09-020000": now in local time, as operators read file names.
std::string local_stamp() {
  std::string t = clock::iso_utc(clock::now() + clock::kChinaOffset);
  return t.substr(0, 10) + "-" + t.substr(11, 2) + t.substr(14, 2) + t.substr(17, 2);
}

// A name this server gave a backup file ("huoyan-…​.db" / ".dump", no directory part): what retention may remove.
bool backup_file_name(const std::string& f) {
  return f.rfind("huoyan-", 0) == 0 && f.find('/') == std::string::npos && f.find("..") == std::string::npos &&
         (f.ends_with(".db") || f.ends_with(".dump"));
}

std::string sqlite_path(const store::Db& db) { return db.url().substr(7); }
bool in_memory(const store::Db& db) { return db.url() == "sqlite::memory:"; }

std::string gib(double bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
  return out;
}

void sqlite_exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

// Opens a copy as a restore would and checks it: quick_check, then the main tables' rows (those it has) and the
// schema version (0: none, not a Huoyan database).
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
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error("备份文件校验未通过：" + std::string(sqlite3_errmsg(db)));
    int rc = sqlite3_step(st);
    std::string out = rc == SQLITE_ROW && sqlite3_column_text(st, 0) ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) throw std::runtime_error("备份文件校验未通过：" + std::string(sqlite3_errstr(rc)));
    return out;
  };
  std::string check = scalar_text("PRAGMA quick_check(1)");
  if (check != "ok") throw std::runtime_error("备份文件校验未通过：" + check);
  json counts = json::object();
  auto exists = [&](const char* table) {
    return scalar_text(std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '") + table + "'") == "1";
  };
  for (const char* table : {"venues", "people", "machines", "permits", "hazards", "users", "audit_log"})
    if (exists(table)) counts[table] = std::stoll(scalar_text(std::string("SELECT COUNT(*) FROM ") + table));
  counts["schemaVersion"] = exists("schema_version") ? std::stoll(scalar_text("SELECT COALESCE(MAX(version), 0) FROM schema_version")) : 0;
  return counts;
}

void fsync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + p.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync failed: " + p.string());
}

// `partial`, complete and checked, becomes `target`: readable by its owner only (it holds the accounts' password
// hashes), on disk, then renamed, so that no file under a backup's name is ever incomplete.
void publish(const fs::path& partial, const fs::path& target) {
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write);
  fsync_path(partial, O_RDONLY);
  fs::rename(partial, target);
  fsync_path(fs::absolute(target).parent_path(), O_RDONLY | O_DIRECTORY);
}

// `dir`, made if missing (owner-only when made here); throws in Chinese when it cannot be.
void ensure_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec || !fs::is_directory(dir)) throw std::runtime_error("无法写入 " + dir.string() + "（" + (ec ? ec.message() : "不是目录") + "）");
}

// Runs `args` (args[0] looked up on PATH) with `extra_env` in place of the same variables of ours; returns its exit
// status (-1: it could not run) and the end of what it wrote on stderr. The child gets the default signal handling
// (the server blocks SIGINT and SIGTERM for sigwait: a stop must reach pg_dump too) and none of our descriptors.
std::pair<int, std::string> run_tool(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
  fs::path err_file = backup_dir / (".tool-" + std::to_string(::getpid()) + "-" + std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())) + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGPIPE}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto overridden = [&](const char* e) {
    return std::any_of(extra_env.begin(), extra_env.end(), [&](const std::string& x) { return x.compare(0, x.find('=') + 1, e, x.find('=') + 1) == 0; });
  };
  for (char** e = environ; *e; ++e)
    if (!overridden(*e)) envp.push_back(*e);
  for (const auto& e : extra_env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    fs::remove(err_file);
    return {-1, "无法运行 " + args[0] + "（" + std::strerror(rc) + "），请安装 postgresql-client"};
  }
  int status = 0;
  pid_t waited;
  while ((waited = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  std::ifstream in(err_file);
  std::string err((std::istreambuf_iterator<char>(in)), {});
  fs::remove(err_file);
  if (err.size() > 400) err = err.substr(err.size() - 400);
  return {waited == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1, err};
}

// pg_dump of the whole database in its custom format, checked by reading it all back (pg_restore to nowhere).
void dump_postgres(const std::string& url, const fs::path& target) {
  PgTarget pg = pg_dump_target(url);
  std::vector<std::string> env;
  if (pg.password) env.push_back("PGPASSWORD=" + *pg.password);
  fs::path partial = target.string() + ".partial";
  auto [dumped, dump_err] = run_tool({"pg_dump", "--format=custom", "--file=" + partial.string(), "--dbname=" + pg.url}, env);
  if (dumped != 0) {
    fs::remove(partial);
    throw std::runtime_error("pg_dump 失败：" + dump_err);
  }
  auto [read, read_err] = run_tool({"pg_restore", "--file=/dev/null", partial.string()}, {});
  if (read != 0) {
    fs::remove(partial);
    throw std::runtime_error("备份文件校验未通过（pg_restore）：" + read_err);
  }
  publish(partial, target);
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

// The checked backup `file` copied to the second store, published once its SHA-256 is the original's: "ok", or
// why not. A failed copy leaves the backup itself good.
std::string copy_offsite(const fs::path& file, const std::string& sha) {
  fs::path partial = copy_dir / (file.filename().string() + ".partial");
  try {
    ensure_dir(copy_dir);
    fs::copy_file(file, partial, fs::copy_options::overwrite_existing);
    if (sha256_of_file(partial) != sha) throw std::runtime_error("副本的 SHA-256 与备份不符");
    publish(partial, copy_dir / file.filename());
    return "ok";
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    spdlog::error("backup copy to {}: {}", copy_dir.string(), e.what());
    if (auto* io = dynamic_cast<const fs::filesystem_error*>(&e)) return "无法写入 " + copy_dir.string() + "（" + io->code().message() + "）";
    return e.what();
  }
}

// Free bytes on the disk of the backup directory (of its parent while it is not made yet), if known.
std::optional<long long> backup_disk_free() {
  struct statvfs vfs {};
  if (::statvfs(fs::exists(backup_dir) ? backup_dir.c_str() : backup_dir.parent_path().c_str(), &vfs) != 0) return std::nullopt;
  return static_cast<long long>(vfs.f_bavail) * static_cast<long long>(vfs.f_frsize);
}

// Refuses a backup that would fill the disk the server writes to: it needs about the database's size.
void check_free_space(store::Db& db) {
  double need = 0;
  if (db.dialect() == store::Dialect::Sqlite) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal"}) {
      auto size = fs::file_size(sqlite_path(db) + suffix, ignored);
      if (!ignored) need += static_cast<double>(size);
    }
  } else {
    need = static_cast<double>(db.read([](store::Conn& c) { return c.scalar("SELECT pg_database_size(current_database())"); }));
  }
  auto known = backup_disk_free();
  if (!known) return;
  double free = static_cast<double>(*known);
  if (free < need * 1.1 + 64.0 * 1024 * 1024)
    throw std::runtime_error("备份目录所在磁盘剩余空间不足：约需 " + gib(need * 1.1) + "，剩余 " + gib(free) + "。请清理磁盘、减少保留份数或改用更大的备份目录");
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
          {"startedBy", r["started_by_name"].is_null() ? json(kSchedule.name) : r["started_by_name"]},
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

struct Outcome {
  json counts = json::object();
  std::string sha, error, offsite;
  long long size = 0;
};

// The backup's row finished with `o`, audited; a failure told; on success the backups past the kept number
// expired (their files removed after the commit).
void record_outcome(store::Db& db, const access::Caller& who, long long id, const std::string& file, const Outcome& o) {
  std::vector<std::string> expired;
  db.write([&](store::Conn& c) {
    expired.clear();
    c.exec("UPDATE backups SET state = ?, size_bytes = ?, sha256 = ?, counts = ?, error = ?, offsite = ?, finished_at = ? WHERE id = ?",
           {o.error.empty() ? "ok" : "failed", o.size, o.sha, o.counts.dump(), o.error, o.offsite, clock::now_iso(), id});
    record(c, who, o.error.empty() ? "system.backup" : "system.backup_failed", "backup", std::to_string(id), nullptr,
           {{"file", file}, {"sizeBytes", o.size}, {"sha256", o.sha}, {"error", o.error}, {"offsite", o.offsite}});
    bool offsite_failed = !o.offsite.empty() && o.offsite != "ok";
    if (!o.error.empty() || offsite_failed) {
      Notice n;
      n.event = "system.backup_failed";
      n.title = o.error.empty() ? "数据备份未能复制到异地存储" : "数据备份失败";
      n.body = o.error.empty() ? "备份 " + file + " 已完成，但未能复制到异地存储：" + o.offsite + "。请检查该存储是否可用。"
                               : "备份 " + file + " 未能完成：" + o.error + "。请处理后到“数据备份”页面立即备份一次。";
      n.link = "/backups";
      n.holders_of = {"backup:write"};
      n.permission = "backup:write";
      notify(c, n);
      if (!o.error.empty()) return;
    }
    // Past the newest `keep` (SQLite needs a LIMIT before an OFFSET; -1 is none).
    std::string beyond = c.dialect() == store::Dialect::Sqlite ? " LIMIT -1 OFFSET ?" : " OFFSET ?";
    for (const auto& r : c.rows("SELECT id, file FROM backups WHERE state = 'ok' ORDER BY started_at DESC, id DESC" + beyond,
                                {static_cast<long long>(load_schedule(c).keep)})) {
      expired.push_back(r["file"]);
      c.exec("UPDATE backups SET state = 'expired' WHERE id = ?", {store::as_id(r["id"])});
    }
  });
  for (const auto& f : expired) {
    if (!backup_file_name(f)) continue;
    std::error_code ignored;
    fs::remove(backup_dir / f, ignored);
    if (!copy_dir.empty()) fs::remove(copy_dir / f, ignored);
  }
}

// The backup `id` (its row already written, state running): made, checked, recorded. Runs on the worker thread.
void make_backup(store::Db& db, const access::Caller& who, long long id, const std::string& file) {
  fs::path target = backup_dir / file;
  Outcome o;
  try {
    ensure_dir(backup_dir);
    check_free_space(db);
    if (db.dialect() == store::Dialect::Sqlite) o.counts = copy_sqlite_database(sqlite_path(db), target.string());
    else dump_postgres(db.url(), target);
    o.size = static_cast<long long>(fs::file_size(target));
    o.sha = sha256_of_file(target);
    if (!copy_dir.empty()) o.offsite = copy_offsite(target, o.sha);
  } catch (const std::exception& e) {
    o.error = e.what();
    std::error_code ignored;
    fs::remove(target, ignored);
    spdlog::error("backup {}: {}", file, o.error);
  }
  try {
    record_outcome(db, who, id, file, o);
  } catch (const std::exception& e) {
    // Never left running: that would refuse every later backup until a restart.
    spdlog::error("backup {}: recording the outcome: {}", file, e.what());
    try {
      db.write([&](store::Conn& c) {
        c.exec("UPDATE backups SET state = 'failed', error = ?, finished_at = ? WHERE id = ?",
               {std::string("无法记录备份结果：") + e.what(), clock::now_iso(), id});
      });
    } catch (const std::exception& again) {
      spdlog::error("backup {}: {}", file, again.what());
    }
  }
}

// Starts a backup of `kind` on the worker thread and returns its row (state running). A scheduled one starts only
// when due and none is running (nullopt otherwise); a manual one is refused while one runs.
std::optional<json> begin_backup(store::Db& db, const access::Caller& who, const std::string& kind) {
  if (in_memory(db)) throw conflict("BACKUP_UNAVAILABLE", "内存数据库无法备份");
  std::lock_guard lock(worker_mutex);
  auto refuse = [&]() -> std::optional<json> {
    if (kind == "scheduled") return std::nullopt;
    throw conflict("BACKUP_RUNNING", "已有备份正在进行，请稍后再试");
  };
  if (db.read([](store::Conn& c) { return c.row("SELECT id FROM backups WHERE state = 'running'").has_value(); })) return refuse();
  if (worker.joinable()) worker.join();  // the previous backup, whose row is finished: it is ending
  std::string file = "huoyan-" + local_stamp() + (db.dialect() == store::Dialect::Sqlite ? ".db" : ".dump");
  auto row = db.write([&](store::Conn& c) -> std::optional<json> {
    if (kind == "scheduled") {
      auto now = clock::now();
      auto next = next_run(c, load_schedule(c), now);
      if (!next || *next > now) return std::nullopt;
    }
    // Two backups within a second: the second is "...-2.db", so that none overwrites another.
    std::string name = file;
    for (int n = 2; c.row("SELECT id FROM backups WHERE file = ?", {name}); ++n)
      name = std::string(file).insert(file.rfind('.'), "-" + std::to_string(n));
    file = name;
    // The partial unique index keeps one running across instances too: a second insert does nothing.
    bool started = c.exec("INSERT INTO backups (kind, state, file, started_by, started_at) VALUES (?, 'running', ?, ?, ?) "
                          "ON CONFLICT (state) WHERE state = 'running' DO NOTHING",
                          {kind, file, who.user_id ? store::Value(who.user_id) : store::Value(nullptr), clock::now_iso()}) == 1;
    if (!started) return refuse();  // another instance's, started meanwhile
    return read_backup(c, c.scalar("SELECT id FROM backups WHERE file = ?", {file}));
  });
  if (!row) return std::nullopt;
  long long id = (*row)["id"];
  try {
    worker = std::thread([&db, who, id, file] {
      pthread_setname_np(pthread_self(), "backup");
      make_backup(db, who, id, file);
    });
  } catch (const std::exception& e) {
    db.write([&](store::Conn& c) {
      c.exec("UPDATE backups SET state = 'failed', error = ?, finished_at = ? WHERE id = ?", {std::string(e.what()), clock::now_iso(), id});
    });
    throw;
  }
  return row;
}

}  // namespace

PgTarget pg_dump_target(const std::string& url) {
  auto decoded = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  PgTarget out{url, std::nullopt};
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return out;
  size_t host_start = scheme + 3;
  size_t authority_end = url.find_first_of("/?#", host_start);
  if (authority_end == std::string::npos) authority_end = url.size();
  size_t at = url.rfind('@', authority_end - 1);
  size_t colon = url.find(':', host_start);
  if (at != std::string::npos && at >= host_start && colon != std::string::npos && colon < at) {
    out.password = decoded(std::string_view(url).substr(colon + 1, at - colon - 1));
    out.url = url.substr(0, colon) + url.substr(at);
  }
  // libpq takes connection parameters in the query too: a password= there goes the same way.
  size_t query = out.url.find('?');
  if (query == std::string::npos) return out;
  size_t query_end = std::min(out.url.find('#', query), out.url.size());
  std::string kept, rest = out.url.substr(query + 1, query_end - query - 1);
  for (size_t pos = 0; pos <= rest.size();) {
    size_t amp = std::min(rest.find('&', pos), rest.size());
    std::string param = rest.substr(pos, amp - pos);
    if (param.rfind("password=", 0) == 0) out.password = decoded(std::string_view(param).substr(9));
    else if (!param.empty()) kept += (kept.empty() ? "" : "&") + param;
    pos = amp + 1;
  }
  out.url = out.url.substr(0, query) + (kept.empty() ? "" : "?" + kept) + out.url.substr(query_end);
  return out;
}

void configure_backups(const store::Db& db, const BackupConfig& config) {
  schedule_on = config.scheduled;
  copy_dir = config.copy_to.empty() ? fs::path() : fs::absolute(config.copy_to);
  if (!config.dir.empty()) backup_dir = fs::absolute(config.dir);
  else if (db.dialect() == store::Dialect::Sqlite && !in_memory(db)) backup_dir = fs::absolute(sqlite_path(db)).parent_path() / "backups";
  else backup_dir = fs::absolute("data/backups");
}

json copy_sqlite_database(const std::string& source_path, const std::string& target, int pages_per_step) {
  fs::path partial = target + ".partial";
  fs::remove(partial);
  sqlite3 *src = nullptr, *dst = nullptr;
  auto close_both = [&] {
    sqlite3_close(src);
    sqlite3_close(dst);
    src = dst = nullptr;
  };
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
    int rc, busy = 0;
    while ((rc = sqlite3_backup_step(b, pages_per_step)) == SQLITE_OK || ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy < 500))
      if (rc != SQLITE_OK) sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errstr(rc));
    sqlite_exec(src, "COMMIT");
    // One self-contained file (the copy has the source's WAL mode, which would leave -wal and -shm files beside it
    // once opened); the server sets WAL again when it opens a restored copy.
    sqlite_exec(dst, "PRAGMA journal_mode=DELETE");
    close_both();
    json counts = check_sqlite_copy(partial);
    publish(partial, target);
    return counts;
  } catch (const std::exception&) {
    close_both();
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
}

Restored restore_sqlite_database(const std::string& file, const std::string& db_path, const std::string& key_file) {
  if (!fs::is_regular_file(file)) throw std::runtime_error("备份文件不存在：" + file);
  json counts = check_sqlite_copy(file);
  if (counts["schemaVersion"] == 0) throw std::runtime_error("不是火眼的数据库备份：" + file);
  int newest = std::stoi(std::string(store::embedded_migrations().back().name).substr(0, 4));
  if (counts["schemaVersion"].get<long long>() > newest)
    throw std::runtime_error("备份来自较新版本的火眼（数据库版本 " + counts["schemaVersion"].dump() + "，本程序支持到 " +
                             std::to_string(newest) + "），请用新版本恢复");
  fs::path target = fs::absolute(db_path);
  fs::path partial = target.string() + ".partial";
  std::error_code ignored;
  // The copy is made ready beside the database before anything is moved: the key file must open its sealed
  // fields, its own row (running when the copy was taken) is marked done, and the restore is recorded in it.
  try {
    fs::copy_file(file, partial, fs::copy_options::overwrite_existing);
    auto db = store::Db::open("sqlite:" + partial.string(), 1, key_file);
    load_field_key(*db);
    static const access::Caller console{.username = "console", .name = "服务器命令行", .scope = access::DataScope::All};
    db->write([&](store::Conn& c) {
      // (A copy from before the server made backups has no such rows: the server adds the table when it starts.)
      if (c.row("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'backups'"))
        c.exec("UPDATE backups SET state = 'ok', error = '', finished_at = COALESCE(finished_at, started_at) WHERE state = 'running' AND file = ?",
               {fs::path(file).filename().string()});
      record(c, console, "system.restore", "backup", "", nullptr, {{"file", fs::absolute(file).string()}, {"counts", counts}});
    });
  } catch (...) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial.string() + suffix, ignored);
    throw;
  }
  // A server holds a shared lock on its database file while it has it open (WAL mode): taking the exclusive lock
  // fails then. Held, the database is made one self-contained file, so that it can be set aside whole.
  if (fs::exists(target)) {
    sqlite3* held = nullptr;
    int rc = sqlite3_open_v2(target.c_str(), &held, SQLITE_OPEN_READWRITE, nullptr);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(held, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT; PRAGMA journal_mode=DELETE;", nullptr, nullptr, nullptr);
    std::string message = held ? sqlite3_errmsg(held) : "cannot open";
    sqlite3_close(held);
    if (rc != SQLITE_OK) {
      fs::remove(partial, ignored);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw std::runtime_error("数据库正在使用中（服务仍在运行？），请先停止服务再恢复");
      throw std::runtime_error("数据库无法打开：" + message);
    }
  }
  Restored out{counts, ""};
  std::vector<std::string> moved;  // suffixes set aside, to put back if the swap fails
  try {
    std::string aside = target.string() + ".before-restore-" + local_stamp();
    for (int n = 2; fs::exists(aside) || fs::exists(aside + "-wal"); ++n)
      aside = target.string() + ".before-restore-" + local_stamp() + "-" + std::to_string(n);
    for (const char* suffix : {"-wal", "-shm", ""})
      if (fs::exists(target.string() + suffix)) {
        fs::rename(target.string() + suffix, aside + suffix);
        moved.push_back(suffix);
      }
    if (!moved.empty()) out.set_aside = aside;
    publish(partial, target);
  } catch (...) {
    for (const auto& suffix : moved) fs::rename(out.set_aside + suffix, target.string() + suffix, ignored);
    fs::remove(partial, ignored);
    throw;
  }
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
    auto free_bytes = backup_disk_free();
    return json{{"settings", schedule_json(s)},
                {"scheduleOff", !schedule_on},
                {"directory", backup_dir.string()},
                {"copyTo", copy_dir.empty() ? json(nullptr) : json(copy_dir.string())},
                {"freeBytes", free_bytes ? json(*free_bytes) : json(nullptr)},
                {"nextRunAt", next ? json(clock::iso_utc(*next)) : json(nullptr)},
                {"running", running},
                {"items", items}};
  });
}

json start_backup(store::Db& db, const access::Caller& who) { return *begin_backup(db, who, "manual"); }

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
  // A read first, every round; the write that starts the backup checks again.
  bool due = db.read([&](store::Conn& c) {
    auto now = clock::now();
    auto next = next_run(c, load_schedule(c), now);
    return next && *next <= now;
  });
  return due && begin_backup(db, kSchedule, "scheduled") ? 1 : 0;
}

void recover_interrupted_backups(store::Db& db) {
  db.write([](store::Conn& c) {
    c.exec("UPDATE backups SET state = 'failed', error = '服务在备份完成前停止', finished_at = ? WHERE state = 'running'", {clock::now_iso()});
  });
  std::error_code ignored;
  for (const fs::path& dir : {backup_dir, copy_dir})
    if (!dir.empty() && fs::is_directory(dir, ignored))
      for (const auto& e : fs::directory_iterator(dir, ignored))
        if (e.path().extension() == ".partial" || e.path().extension() == ".err") fs::remove(e.path(), ignored);
}

void wait_for_backups() {
  std::lock_guard lock(worker_mutex);
  if (worker.joinable()) worker.join();
}

}  // namespace huoyan::app
