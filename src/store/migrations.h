#pragma once
// Versioned schema migrations, compiled into the binary from
// src/store/migrations/NNNN_name.sql. A released file is never edited; a
// change is a new file. Each file is one transaction; applied versions are
// recorded in schema_version.
//
// File syntax: `{{ID}}` becomes the dialect's auto-increment primary key;
// lines between `-- @sqlite` / `-- @postgresql` and `-- @end` are kept only
// for that dialect.
#include <string>
#include <vector>

#include "store/db.h"

namespace huoyan::store {

struct MigrationFile {
  const char* name;  // "0001_foundation"
  const char* sql;
};
const std::vector<MigrationFile>& embedded_migrations();

// The SQL of one migration file for one dialect.
std::string render_migration(const std::string& sql, Dialect d);

// Applies every migration newer than the database's version; returns how many ran.
int migrate(Db& db);
// Highest applied version (0 for an empty database).
int schema_version(Db& db);

}  // namespace huoyan::store
