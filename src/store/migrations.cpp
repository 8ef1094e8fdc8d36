#include "store/migrations.h"

#include <spdlog/spdlog.h>

#include "domain/clock.h"

#include <sstream>

namespace huoyan::store {

std::string render_migration(const std::string& sql, Dialect d) {
  std::istringstream in(sql);
  std::string line, out;
  enum { Both, SqliteOnly, PgOnly } mode = Both;
  while (std::getline(in, line)) {
    if (line.rfind("-- @sqlite", 0) == 0) { mode = SqliteOnly; continue; }
    if (line.rfind("-- @postgresql", 0) == 0) { mode = PgOnly; continue; }
    if (line.rfind("-- @end", 0) == 0) { mode = Both; continue; }
    if ((mode == SqliteOnly && d != Dialect::Sqlite) || (mode == PgOnly && d != Dialect::Postgres)) continue;
    out += line;
    out += '\n';
  }
  const std::string id = d == Dialect::Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (size_t pos; (pos = out.find("{{ID}}")) != std::string::npos;) out.replace(pos, 6, id);
  return out;
}

namespace {
void ensure_version_table(Conn& c) {
  c.script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
           "applied_at TEXT NOT NULL)");
}
}  // namespace

int schema_version(Db& db) {
  return db.write([](Conn& c) {
    ensure_version_table(c);
    return static_cast<int>(c.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  });
}

int migrate(Db& db) {
  return db.write([&](Conn& c) {
    // Several instances may start at once on PostgreSQL: one migrates, the others wait.
    if (c.dialect() == Dialect::Postgres) c.exec("SELECT pg_advisory_xact_lock(7716001)");
    ensure_version_table(c);
    int current = static_cast<int>(c.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    int applied = 0;
    for (const auto& m : embedded_migrations()) {
      int version = std::stoi(std::string(m.name).substr(0, 4));
      if (version <= current) continue;
      spdlog::info("applying migration {}", m.name);
      c.script(render_migration(m.sql, c.dialect()));
      c.exec("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
             {static_cast<long long>(version), std::string(m.name), clock::iso_utc(clock::now())});
      ++applied;
    }
    return applied;
  });
}

}  // namespace huoyan::store
