#include "store/db.h"

#include "store/sqlite_vfs.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace huoyan::store {

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';  // ?N: the N-th value, as in SQLite
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

using namespace sqlite_api;  // SOCI's header wraps sqlite3.h in this namespace

// A result's column names, and the order that visits them sorted by name with a repeated name's last column
// only (what assigning them one by one would keep): rows are built by appending to their map, not searching it.
struct Columns {
  std::vector<std::string> names;
  std::vector<size_t> sorted;
  // Rows of one result are read in the same order of names: the k-th lookup of a row is first tried at the
  // position the k-th lookup of an earlier row found, which one comparison confirms.
  mutable std::vector<int> guesses;
  void set(std::vector<std::string> n) {
    guesses.clear();
    names = std::move(n);
    sorted.resize(names.size());
    for (size_t i = 0; i < sorted.size(); ++i) sorted[i] = i;
    std::stable_sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) { return names[a] < names[b]; });
    auto last_of_each = std::unique(sorted.rbegin(), sorted.rend(), [&](size_t a, size_t b) { return names[a] == names[b]; });
    sorted.erase(sorted.begin(), last_of_each.base());
  }
  // The position of `name` (its last column when repeated), or -1.
  int find(std::string_view name) const {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), name, [&](size_t i, std::string_view n) { return names[i] < n; });
    return it != sorted.end() && names[*it] == name ? static_cast<int>(*it) : -1;
  }
  // A row from cell(i) for each column i.
  template <class Cell>
  Json row(Cell&& cell) const {
    Json row = Json::object();
    auto& fields = row.get_ref<Json::object_t&>();
    for (size_t i : sorted) fields.emplace_hint(fields.end(), names[i], cell(static_cast<int>(i)));
    return row;
  }
};

int RowView::index(std::string_view column) const {
  size_t k = lookups_++;
  auto& guesses = columns_.guesses;
  if (k < guesses.size() && columns_.names[guesses[k]] == column) return guesses[k];
  int i = columns_.find(column);
  if (i < 0) throw std::logic_error("no column " + std::string(column) + " in this result");
  if (k < guesses.size()) guesses[k] = i;
  else if (k == guesses.size()) guesses.push_back(i);
  return i;
}
long long RowView::integer(std::string_view column) const {
  int i = index(column);
  return cells_.null(i) ? 0 : cells_.integer(i);
}
double RowView::real(std::string_view column) const {
  int i = index(column);
  return cells_.null(i) ? 0 : cells_.real(i);
}
std::string_view RowView::text(std::string_view column) const { return cells_.text(index(column)); }
std::optional<std::string_view> RowView::maybe_text(std::string_view column) const {
  std::string_view v = cells_.text(index(column));
  return v.data() ? std::optional(v) : std::nullopt;
}
std::optional<long long> RowView::maybe_integer(std::string_view column) const {
  int i = index(column);
  return cells_.null(i) ? std::nullopt : std::optional(cells_.integer(i));
}

struct SqliteStatement {
  sqlite3_stmt* st = nullptr;
  Columns columns;  // filled when its first row is read
};

// Statement caches keyed by SQL text, looked up without copying it.
struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class T>
using BySql = std::unordered_map<std::string, T, SqlHash, std::equal_to<>>;

struct PgResult {
  PGresult* r = nullptr;
  explicit PgResult(PGresult* result = nullptr) : r(result) {}
  PgResult(PgResult&& o) noexcept : r(std::exchange(o.r, nullptr)) {}
  PgResult& operator=(PgResult&& o) noexcept {
    std::swap(r, o.r);
    return *this;
  }
  ~PgResult() { PQclear(r); }
};

// A statement's values as PostgreSQL's text parameters (nullptr: NULL). Moved, not copied: `values` points
// into `texts`.
struct PgValues {
  std::vector<std::string> texts;
  std::vector<const char*> values;
  explicit PgValues(const Params& params) : texts(params.size()), values(params.size(), nullptr) {
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (auto* x = std::get_if<long long>(&v)) texts[i] = std::to_string(*x);
      else if (auto* d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i] = buf;
      } else if (auto* t = std::get_if<std::string>(&v)) texts[i] = *t;
      else continue;
      values[i] = texts[i].c_str();
    }
  }
  PgValues(PgValues&&) noexcept = default;
  PgValues& operator=(PgValues&&) noexcept = default;
  bool operator==(const PgValues& o) const {
    if (texts != o.texts) return false;
    for (size_t i = 0; i < values.size(); ++i)
      if ((values[i] == nullptr) != (o.values[i] == nullptr)) return false;
    return true;
  }
};

// A PostgreSQL statement Conn::prefetch queued: sent with the next statement that runs, in one round trip; its
// result kept until that statement with those values runs.
struct PgPrefetch {
  std::string sql;
  PgValues values;
  PgResult result;
};

struct NativeConn {
  sqlite3* sqlite = nullptr;
  PGconn* pg = nullptr;
  // SQL text -> prepared statement (SQLite) or server-side statement name (PostgreSQL).
  BySql<SqliteStatement> sqlite_statements;
  BySql<std::string> pg_statements;
  int pg_names = 0;
  // The session's plan_cache_mode: 0 auto, 1 force_generic_plan, -1 not known (a rollback may have undone a SET).
  int pg_generic = 0;
  std::vector<PgPrefetch> pg_deferred;  // Conn::defer's writes, not sent yet
  std::vector<PgPrefetch> pg_queued;    // Conn::prefetch's reads, not sent yet
  std::vector<PgPrefetch> pg_fetched;   // sent, results not taken yet

  ~NativeConn() { forget_sqlite(); }
  // Keeps statements that are stepping (an outer Conn::each while its callback queries).
  void forget_sqlite() {
    for (auto it = sqlite_statements.begin(); it != sqlite_statements.end();) {
      if (sqlite3_stmt_busy(it->second.st)) {
        ++it;
      } else {
        sqlite3_finalize(it->second.st);
        it = sqlite_statements.erase(it);
      }
    }
  }
};

namespace {

// Where a statement's rows go: JSON objects, views, or nowhere (exec).
struct Sink {
  const RowFn* json = nullptr;
  const RowViewFn* view = nullptr;
};

struct SqliteCells final : RowView::Cells {
  explicit SqliteCells(sqlite3_stmt* s) : st(s) {}
  sqlite3_stmt* st;
  bool null(int i) const override { return sqlite3_column_type(st, i) == SQLITE_NULL; }
  long long integer(int i) const override { return sqlite3_column_int64(st, i); }
  double real(int i) const override { return sqlite3_column_double(st, i); }
  std::string_view text(int i) const override {
    const unsigned char* t = sqlite3_column_text(st, i);  // before _bytes: it may convert the value to text
    if (!t) {  // null, or out of memory converting a value to text
      if (sqlite3_column_type(st, i) != SQLITE_NULL) throw std::bad_alloc();
      return {};
    }
    return {reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st, i))};
  }
};

// Dynamic SQL (filters, IN lists) could grow the caches without bound; past
// this many distinct statements a connection starts afresh.
constexpr size_t kMaxCachedStatements = 400;

[[noreturn]] void sqlite_fail(sqlite3* db) { throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db)); }

long long run_sqlite(NativeConn& n, std::string_view sql, const Params& params, Sink sink) {
  auto it = n.sqlite_statements.find(sql);
  if (it == n.sqlite_statements.end()) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(n.sqlite, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) !=
        SQLITE_OK)
      sqlite_fail(n.sqlite);
    if (n.sqlite_statements.size() >= kMaxCachedStatements) n.forget_sqlite();
    it = n.sqlite_statements.emplace(std::string(sql), SqliteStatement{st, {}}).first;
  }
  sqlite3_stmt* st = it->second.st;
  // Reset on every exit: a statement left mid-way holds its read snapshot and blocks WAL checkpoints.
  struct Reset {
    sqlite3_stmt* st;
    ~Reset() {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    }
  } reset{st};
  if (static_cast<size_t>(sqlite3_bind_parameter_count(st)) != params.size())
    throw std::runtime_error("sqlite: " + std::to_string(params.size()) + " values for " +
                             std::to_string(sqlite3_bind_parameter_count(st)) + " placeholders: " + std::string(sql));
  for (size_t i = 0; i < params.size(); ++i) {
    int k = static_cast<int>(i + 1), rc;
    const Value& v = params[i];
    if (auto* x = std::get_if<long long>(&v)) rc = sqlite3_bind_int64(st, k, *x);
    else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(st, k, *d);
    else if (auto* t = std::get_if<std::string>(&v)) rc = sqlite3_bind_text(st, k, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
    else rc = sqlite3_bind_null(st, k);
    if (rc != SQLITE_OK) sqlite_fail(n.sqlite);
  }
  Columns& columns = it->second.columns;
  auto cell = [st](int i) -> Json {
    switch (sqlite3_column_type(st, i)) {
      case SQLITE_INTEGER: return static_cast<long long>(sqlite3_column_int64(st, i));
      case SQLITE_FLOAT: return sqlite3_column_double(st, i);
      case SQLITE_NULL: return nullptr;
      default:
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)), static_cast<size_t>(sqlite3_column_bytes(st, i)));
    }
  };
  int rc;
  bool first = true;
  SqliteCells cells(st);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (!sink.json && !sink.view) continue;
    // After the first step: a schema change re-prepares the statement there ("SELECT *" may gain columns).
    if (first && columns.names.size() != static_cast<size_t>(sqlite3_column_count(st))) {
      std::vector<std::string> names;
      for (int i = 0; i < sqlite3_column_count(st); ++i) names.emplace_back(sqlite3_column_name(st, i));
      columns.set(std::move(names));
    }
    first = false;
    if (sink.view) {
      (*sink.view)(RowView(columns, cells));
    } else {
      Json row = columns.row(cell);
      (*sink.json)(row);
    }
  }
  if (rc != SQLITE_DONE) sqlite_fail(n.sqlite);
  return sqlite3_changes(n.sqlite);
}

struct PgCells final : RowView::Cells {
  PgCells(PGresult* result, int r) : res(result), row(r) {}
  PGresult* res;
  int row;
  bool null(int i) const override { return PQgetisnull(res, row, i); }
  long long integer(int i) const override {
    const char* v = PQgetvalue(res, row, i);
    return PQftype(res, i) == 16 ? v[0] == 't' : std::strtoll(v, nullptr, 10);  // 16: bool
  }
  double real(int i) const override { return std::strtod(PQgetvalue(res, row, i), nullptr); }
  std::string_view text(int i) const override {
    if (PQgetisnull(res, row, i)) return {};
    return {PQgetvalue(res, row, i), static_cast<size_t>(PQgetlength(res, row, i))};
  }
};

void pg_check(PGresult* r) {
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(std::string("postgresql: ") + PQresultErrorMessage(r));
}

// A text cell as JSON by the column's type: integers, booleans and floats as numbers, the rest as text.
Json pg_cell(const char* text, int length, Oid type) {
  switch (type) {
    case 20: case 21: case 23: case 26: return std::stoll(text);  // int8, int2, int4, oid
    case 16: return static_cast<long long>(text[0] == 't');      // bool
    case 700: case 701: return std::stod(text);                 // float4, float8
    case 1700:                                                  // numeric (SUM of integers)
      if (std::string_view(text).find_first_of(".eE") == std::string_view::npos) return std::stoll(text);
      return std::stod(text);
    default: return std::string(text, static_cast<size_t>(length));
  }
}

bool preparable(std::string_view sql) {
  for (std::string_view verb : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"})
    if (sql.substr(0, verb.size()) == verb) return true;
  return false;
}

// Empties the connection's statement cache if `count` more statements would not fit, so that none of a group
// about to be prepared together is deallocated while the others are.
void pg_make_room(NativeConn& n, size_t count) {
  if (n.pg_statements.size() + count <= kMaxCachedStatements) return;
  pg_check(PgResult{PQexec(n.pg, "DEALLOCATE ALL")}.r);
  n.pg_statements.clear();
}

// The server-side name of `sql` prepared on this connection, preparing it now if it is new; "" for statements
// that are not prepared (SET, BEGIN, ...).
std::string pg_prepared(NativeConn& n, std::string_view sql, int count) {
  if (!preparable(sql)) return "";
  auto it = n.pg_statements.find(sql);
  if (it != n.pg_statements.end()) return it->second;
  pg_make_room(n, 1);
  std::string name = "h" + std::to_string(++n.pg_names);
  PgResult prepared{PQprepare(n.pg, name.c_str(), number_placeholders(sql).c_str(), count, nullptr)};
  pg_check(prepared.r);
  return n.pg_statements.emplace(std::string(sql), std::move(name)).first->second;
}

// Sends the deferred writes, then (`with_reads`) the queued reads, then `sql` in one round trip (libpq's pipeline
// mode) and returns `sql`'s result; the queued reads' results wait in pg_fetched. A deferred write that fails
// throws its error here. A queued read that fails is dropped (run again on its own, it reports its error then),
// and so are the statements after it, which PostgreSQL then skips; inside a transaction, which it aborted, its
// error is thrown here.
PgResult run_pg_pipelined(NativeConn& n, std::string_view sql, PgValues values, bool with_reads) {
  std::vector<PgPrefetch> batch = std::move(n.pg_deferred);
  n.pg_deferred.clear();
  size_t deferred = batch.size();
  if (with_reads) {
    std::move(n.pg_queued.begin(), n.pg_queued.end(), std::back_inserter(batch));
    n.pg_queued.clear();
  }
  batch.push_back({std::string(sql), std::move(values), PgResult{}});
  pg_make_room(n, batch.size());
  std::vector<std::string> names;
  for (const auto& q : batch) names.push_back(pg_prepared(n, q.sql, static_cast<int>(q.values.values.size())));
  auto fail = [&](const char* what) { throw std::runtime_error(std::string("postgresql ") + what + ": " + PQerrorMessage(n.pg)); };
  if (!PQenterPipelineMode(n.pg)) fail("pipeline");
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& v = batch[i].values.values;
    int count = static_cast<int>(v.size());
    int sent = names[i].empty() ? PQsendQueryParams(n.pg, number_placeholders(batch[i].sql).c_str(), count, nullptr, v.data(), nullptr, nullptr, 0)
                                : PQsendQueryPrepared(n.pg, names[i].c_str(), count, v.data(), nullptr, nullptr, 0);
    if (!sent) fail("send");
  }
  if (!PQpipelineSync(n.pg)) fail("sync");
  for (auto& q : batch) {
    q.result = PgResult{PQgetResult(n.pg)};
    while (PGresult* extra = PQgetResult(n.pg)) PQclear(extra);  // the end of this statement's results (nullptr)
  }
  PgResult sync{PQgetResult(n.pg)};  // PGRES_PIPELINE_SYNC
  if (!PQexitPipelineMode(n.pg)) fail("pipeline end");
  for (size_t i = 0; i < deferred; ++i) pg_check(batch[i].result.r);
  PgResult mine = std::move(batch.back().result);
  batch.pop_back();
  // Inside a transaction a failed read aborts it: `sql`, skipped, would then report only "current transaction is
  // aborted" when run again, so the read's own error is the one reported.
  bool aborted = PQresultStatus(mine.r) == PGRES_PIPELINE_ABORTED && PQtransactionStatus(n.pg) == PQTRANS_INERROR;
  for (size_t i = deferred; i < batch.size(); ++i) {
    auto status = PQresultStatus(batch[i].result.r);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) n.pg_fetched.push_back(std::move(batch[i]));
    else if (aborted && status == PGRES_FATAL_ERROR) pg_check(batch[i].result.r);
  }
  return mine;
}

long long run_pg(NativeConn& n, std::string_view sql, const Params& params, Sink sink, bool generic) {
  if (n.pg_generic != static_cast<int>(generic)) {
    pg_check(PgResult{PQexec(n.pg, generic ? "SET plan_cache_mode = force_generic_plan" : "SET plan_cache_mode = auto")}.r);
    n.pg_generic = generic;
  }
  PgValues values(params);
  PgResult res;
  bool reads = sql.substr(0, 6) == "SELECT";
  if (!reads || !n.pg_deferred.empty()) n.pg_fetched.clear();  // what was fetched before a write may no longer hold
  for (auto it = n.pg_fetched.begin(); it != n.pg_fetched.end(); ++it)
    if (it->sql == sql && it->values == values) {
      res = std::move(it->result);
      n.pg_fetched.erase(it);
      break;
    }
  // (A write leaves the reads queued: sent after it, they see it.)
  if (!res.r && (!n.pg_deferred.empty() || (reads && !n.pg_queued.empty()))) {
    res = run_pg_pipelined(n, sql, PgValues(params), reads);
    // A queued statement failed, and the rest of the round trip with it: this one runs again on its own.
    if (PQresultStatus(res.r) == PGRES_PIPELINE_ABORTED) res = PgResult{};
  }
  if (!res.r) {
    int count = static_cast<int>(params.size());
    std::string name = pg_prepared(n, sql, count);
    res.r = name.empty() ? PQexecParams(n.pg, number_placeholders(sql).c_str(), count, nullptr, values.values.data(), nullptr, nullptr, 0)
                         : PQexecPrepared(n.pg, name.c_str(), count, values.values.data(), nullptr, nullptr, 0);
  }
  pg_check(res.r);
  if (sink.json || sink.view) {
    Columns columns;
    std::vector<std::string> names;
    for (int i = 0; i < PQnfields(res.r); ++i) names.emplace_back(PQfname(res.r, i));
    columns.set(std::move(names));
    for (int r = 0; r < PQntuples(res.r); ++r) {
      if (sink.view) {
        (*sink.view)(RowView(columns, PgCells(res.r, r)));
        continue;
      }
      Json row = columns.row([&](int i) {
        return PQgetisnull(res.r, r, i) ? Json(nullptr) : pg_cell(PQgetvalue(res.r, r, i), PQgetlength(res.r, r, i), PQftype(res.r, i));
      });
      (*sink.json)(row);
    }
  }
  const char* affected = PQcmdTuples(res.r);
  return *affected ? std::stoll(affected) : 0;
}

// Runs one statement, handing each row to the sink; returns rows affected.
long long run(NativeConn& n, std::string_view sql, const Params& params, Sink sink, bool generic) {
  return n.sqlite ? run_sqlite(n, sql, params, sink) : run_pg(n, sql, params, sink, generic);
}

}  // namespace

Json Conn::rows(std::string_view sql, const Params& params) {
  Json out = Json::array();
  RowFn add = [&](Json& row) { out.push_back(std::move(row)); };
  run(n_, sql, params, {.json = &add}, generic_);
  return out;
}

void Conn::each(std::string_view sql, const Params& params, const RowFn& on_row) { run(n_, sql, params, {.json = &on_row}, generic_); }
void Conn::prefetch(std::string_view sql, const Params& params) {
  if (n_.pg) n_.pg_queued.push_back({std::string(sql), PgValues(params), PgResult{}});
}

void Conn::defer(std::string_view sql, const Params& params) {
  if (n_.pg && in_tx_)
    n_.pg_deferred.push_back({std::string(sql), PgValues(params), PgResult{}});
  else
    exec(sql, params);
}

void Conn::each_view(std::string_view sql, const Params& params, const RowViewFn& on_row) {
  run(n_, sql, params, {.view = &on_row}, generic_);
}

std::optional<Json> Conn::row(std::string_view sql, const Params& params) {
  Json all = rows(sql, params);
  if (all.empty()) return std::nullopt;
  return std::move(all[0]);
}

long long Conn::scalar(std::string_view sql, const Params& params) {
  auto r = row(sql, params);
  if (!r || r->empty()) return 0;
  const Json& v = r->begin().value();
  if (v.is_number()) return v.get<long long>();
  if (v.is_string()) return std::stoll(v.get<std::string>());
  return 0;
}

std::optional<std::string> Conn::text(std::string_view sql, const Params& params) {
  auto r = row(sql, params);
  if (!r || r->empty() || r->begin().value().is_null()) return std::nullopt;
  const Json& v = r->begin().value();
  return v.is_string() ? v.get<std::string>() : v.dump();
}

long long Conn::exec(std::string_view sql, const Params& params) { return run(n_, sql, params, {}, generic_); }

long long Conn::insert(std::string_view sql, const Params& params) {
  // SQLite: its RETURNING collects the rows in a temporary table made for each statement (a tenth of a permit
  // create's writing); the connection's last rowid is the new row's (a trigger's inserts do not change it).
  if (n_.sqlite) {
    run_sqlite(n_, sql, params, {});
    return sqlite3_last_insert_rowid(n_.sqlite);
  }
  auto r = row(std::string(sql) + " RETURNING id", params);
  return r ? as_id((*r)["id"]) : 0;
}

void Conn::script(const std::string& sql) {
  if (n_.sqlite) {
    char* err = nullptr;
    if (sqlite3_exec(n_.sqlite, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + msg);
    }
  } else {
    if (!n_.pg_deferred.empty()) exec("SELECT 1");  // sends the deferred writes first (a script cannot join them)
    PgResult res{PQexec(n_.pg, sql.c_str())};
    pg_check(res.r);
  }
}

namespace {
// SOCI's PostgreSQL backend wants libpq's keyword=value form, not a URI.
std::string pg_conninfo(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "invalid PostgreSQL URL";
    PQfreemem(err);
    throw std::runtime_error(msg);
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string v = o->val;
    std::string quoted;
    for (char c : v) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += std::string(o->keyword) + "='" + quoted + "' ";
  }
  PQconninfoFree(opts);
  return out;
}

void configure_sqlite(soci::session& s) {
  // Per connection: WAL lets readers run beside the writer; FULL sync keeps
  // committed records across power loss; foreign keys are off by default.
  s << "PRAGMA journal_mode=WAL";
  s << "PRAGMA synchronous=FULL";
  s << "PRAGMA foreign_keys=ON";
  s << "PRAGMA busy_timeout=10000";
  // 等保 2.0 剩余信息保护: what a DELETE or UPDATE removes (an ended session's row, a replaced value) is overwritten
  // with zeros in the file rather than left in its free space.
  s << "PRAGMA secure_delete=ON";
  // Read pages straight from the kernel's page cache instead of copying them into each connection's own small
  // cache (the permit list at city scale: 1.6x), through the one mapping all connections share (sqlite_vfs.h).
  // The mapped pages are the kernel's, shared and reclaimable, not the process's own memory.
  s << "PRAGMA mmap_size=1099511627776";
}
}  // namespace

std::string key_file_for(const std::string& url, const std::string& configured) {
  if (!configured.empty()) return configured;
  if (url == "sqlite::memory:") return "";
  return url.rfind("sqlite:", 0) == 0 ? url.substr(7) + ".key" : "data/huoyan.key";
}

std::unique_ptr<Db> Db::open(const std::string& url, int pool_size, const std::string& key_file) {
  std::unique_ptr<Db> db(new Db());
  db->url_ = url;
  db->key_file_ = key_file_for(url, key_file);
  db->pool_size_ = pool_size;
  db->pool_ = std::make_unique<soci::connection_pool>(pool_size);
  if (url.rfind("sqlite:", 0) == 0) {
    db->dialect_ = Dialect::Sqlite;
    // Once per process, before SQLite starts: a lease gives each connection to one thread at a time, so SQLite's
    // per-call connection mutex is not needed, nor the global memory statistics that lock on every allocation.
    // A unit that joins a commit group runs in a savepoint (run_sqlite_write), whose journal keeps a copy of
    // each page the unit changes: kept in memory, where SQLite's default spills it to a temporary file past
    // 64 KiB (that file's writes were two thirds of a permit create's write calls). Its size is one request's
    // pages; SQLite's positive thresholds allocate the whole threshold at once, so it is not bounded here.
    // (Ignored when SQLite is already in use in this process: only speed depends on it.)
    static std::once_flag sqlite_setup;
    std::call_once(sqlite_setup, [] {
      sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
      sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
      install_shared_map_vfs();
    });
    std::string path = url.substr(7);
    if (path.empty()) throw std::runtime_error("sqlite URL needs a path: sqlite:data/huoyan.db");
    std::string conn = "db=" + path + " timeout=10";
    if (path == ":memory:") {
      // A fresh in-memory database shared by this Db's connections (tests).
      static std::atomic<int> counter{0};
      conn = "db=file:huoyan_mem_" + std::to_string(++counter) + "?mode=memory&cache=shared timeout=10";
    }
    db->sqlite_writer_ = std::make_unique<soci::session>(soci::sqlite3, conn);
    configure_sqlite(*db->sqlite_writer_);
    db->add_native(*db->sqlite_writer_);
    db->sqlite_answerer_ = std::make_unique<soci::session>(soci::sqlite3, conn);
    configure_sqlite(*db->sqlite_answerer_);
    db->add_native(*db->sqlite_answerer_);
    for (int i = 0; i < pool_size; ++i) {
      db->pool_->at(i).open(soci::sqlite3, conn);
      configure_sqlite(db->pool_->at(i));
      db->add_native(db->pool_->at(i));
    }
    db->sqlite_writer_thread_ = std::thread([d = db.get()] {
      pthread_setname_np(pthread_self(), "sqlite-writer");
      d->sqlite_writer_loop();
    });
    db->sqlite_answer_thread_ = std::thread([d = db.get()] {
      pthread_setname_np(pthread_self(), "sqlite-answers");
      d->sqlite_answer_loop();
    });
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db->dialect_ = Dialect::Postgres;
    for (int i = 0; i < pool_size; ++i) {
      db->pool_->at(i).open(soci::postgresql, pg_conninfo(url));
      db->pool_->at(i) << "SET TIME ZONE 'UTC'";
      db->add_native(db->pool_->at(i));
    }
  } else {
    throw std::runtime_error("unknown database URL (use sqlite:PATH or postgresql://...): " + url);
  }
  return db;
}

Db::~Db() {
  if (!sqlite_writer_thread_.joinable()) return;
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_filled_.notify_one();
  sqlite_writer_thread_.join();
  {  // after the writer, which queues answers until it stops
    std::lock_guard lock(answer_mutex_);
    answers_stopping_ = true;
  }
  answers_queued_.notify_one();
  sqlite_answer_thread_.join();
}

void Db::add_native(soci::session& s) {
  auto n = std::make_unique<NativeConn>();
  if (dialect_ == Dialect::Sqlite)
    n->sqlite = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
  else
    n->pg = static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;
  natives_.emplace(s.get_backend(), std::move(n));
}

Db::Lease::Lease(Db* db, std::unique_ptr<soci::session> s)
    : db(db), session(std::move(s)), conn(*db, *db->natives_.at(session->get_backend()), db->dialect_) {
  db->in_use_++;
}

Db::Lease::~Lease() {
  conn.n_.pg_deferred.clear();
  conn.n_.pg_queued.clear();
  conn.n_.pg_fetched.clear();
  // After the transaction's end (Tx is destroyed first), committed or not.
  if (conn.changed_topics()) db->forget_topics(conn.changed_topics());
  db->in_use_--;
}

namespace {
constexpr size_t kMaxCachedCopies = 20000;  // per topic; past it the topic starts afresh
int topic_index(Topic t) { return t == Topic::Access ? 0 : 1; }
}  // namespace

std::shared_ptr<const void> Db::cache_find(Topic topic, const std::string& key, long long& generation) {
  std::lock_guard lock(cache_mutex_);
  auto& c = caches_[topic_index(topic)];
  generation = c.generation;
  auto it = c.items.find(key);
  return it == c.items.end() ? nullptr : it->second;
}

void Db::cache_store(Topic topic, const std::string& key, std::shared_ptr<const void> value, long long generation) {
  std::lock_guard lock(cache_mutex_);
  auto& c = caches_[topic_index(topic)];
  if (c.generation != generation) return;
  if (c.items.size() >= kMaxCachedCopies) c.items.clear();
  c.items[key] = std::move(value);
}

void Db::forget(Topic topic, const std::string& key) {
  std::lock_guard lock(cache_mutex_);
  caches_[topic_index(topic)].items.erase(key);
}

void Db::forget_topics(unsigned topics) {
  std::lock_guard lock(cache_mutex_);
  for (Topic t : {Topic::Access, Topic::Rules}) {
    if (!(topics & static_cast<unsigned>(t))) continue;
    auto& c = caches_[topic_index(t)];
    c.generation++;
    c.items.clear();
  }
}

Db::Lease Db::lease() {
  if (in_use_.load() >= pool_size_) waits_++;
  auto s = std::make_unique<soci::session>(*pool_);  // blocks until a pooled connection is free
  return Lease(this, std::move(s));
}

void Db::run_write(const std::function<void(Conn&)>& unit) {
  if (dialect_ == Dialect::Sqlite) return run_sqlite_write(unit);
  Lease l = lease();
  Tx tx(l.conn);
  unit(l.conn);
  tx.commit();
}

namespace {
// Set once, by the writer thread; waited on by one thread. A bare futex: libstdc++'s semaphore (GCC 12) spins on
// sched_yield before it sleeps, and under a load of creates the ~50 request threads waiting on the writer spun so,
// taking the cores from the writer and from the requests being served.
class DoneFlag {
 public:
  void wait() {
    while (state_.load(std::memory_order_acquire) == 0)
      syscall(SYS_futex, &state_, FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
  }
  // The waiter may return, and the flag's storage be reused, as soon as state_ is set: the wake then names a
  // stale address, which wakes nobody or wakes a futex waiter spuriously (every futex wait loops on its word).
  void set() {
    state_.store(1, std::memory_order_release);
    syscall(SYS_futex, &state_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }

 private:
  std::atomic<int> state_{0};
  static_assert(sizeof(std::atomic<int>) == sizeof(int) && std::atomic<int>::is_always_lock_free);
};
}  // namespace

// A write waiting for the SQLite writer thread, on its caller's stack; `finished` is set once the unit's
// transaction has ended, with `error` set when the unit did not commit, or, for a unit with an `after` read
// (write_then_read), once that read has run after the commit, with `error` set when either failed.
struct Db::QueuedUnit {
  const std::function<void(Conn&)>& unit;
  const std::function<void(Conn&)>* after;
  std::exception_ptr error;
  DoneFlag finished;
};

void Db::run_sqlite_write(const std::function<void(Conn&)>& unit, const std::function<void(Conn&)>* after) {
  if (std::this_thread::get_id() == sqlite_writer_thread_.get_id())
    throw std::logic_error("Db::write called from inside a write");
  QueuedUnit queued{unit, after};
  {
    std::lock_guard lock(queue_mutex_);
    if (!queue_.empty()) waits_++;
    queue_.push_back(&queued);
  }
  queue_filled_.notify_one();
  queued.finished.wait();
  if (queued.error) std::rethrow_exception(queued.error);
}

Db::QueuedUnit* Db::next_queued_unit(bool wait) {
  std::unique_lock lock(queue_mutex_);
  if (wait) queue_filled_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return nullptr;
  QueuedUnit* next = queue_.front();
  queue_.pop_front();
  return next;
}

void Db::sqlite_writer_loop() {
  // A queue longer than this commits anyway, so that no unit waits on an endless stream of others.
  constexpr size_t kMaxUnitsPerCommit = 64;
  Conn c(*this, *natives_.at(sqlite_writer_->get_backend()), dialect_);
  while (QueuedUnit* first = next_queued_unit(true)) {
    in_use_++;
    std::vector<QueuedUnit*> members;  // units inside the open transaction, answered when it ends
    unsigned topics = 0;
    auto end_transaction = [&](std::exception_ptr error) {
      if (topics) forget_topics(topics);
      std::vector<QueuedUnit*> to_answer;
      for (QueuedUnit* m : members) {
        if (!m->error) m->error = error;
        if (m->after && !m->error) to_answer.push_back(m);
        else m->finished.set();
      }
      if (!to_answer.empty()) {
        {
          std::lock_guard lock(answer_mutex_);
          answer_queue_.insert(answer_queue_.end(), to_answer.begin(), to_answer.end());
        }
        answers_queued_.notify_one();
      }
      members.clear();
      topics = 0;
    };
    for (QueuedUnit* q = first; q; q = members.size() < kMaxUnitsPerCommit ? next_queued_unit(false) : nullptr) {
      // The unit that opens the transaction is undone with it; a unit that joins one runs in a savepoint, undone
      // alone. (A savepoint keeps a copy of each page the unit changes: a lone large unit, such as a migration
      // or the demo generator, would otherwise copy every page it touches.)
      bool opens = members.empty();
      members.push_back(q);
      c.in_tx_ = true;
      try {
        c.exec(opens ? "BEGIN IMMEDIATE" : "SAVEPOINT unit");
        q->unit(c);
        c.run_before_commit();
        if (!opens) c.exec("RELEASE unit");
      } catch (...) {
        q->error = std::current_exception();
        bool undone = false;
        if (!opens) try {
            c.exec("ROLLBACK TO unit");
            c.exec("RELEASE unit");
            undone = true;
          } catch (...) {
          }
        // A unit that opened the transaction, or could not be undone alone: undo the whole transaction rather
        // than commit a part of the unit.
        if (!undone) try {
            c.exec("ROLLBACK");
          } catch (...) {
          }
      }
      c.in_tx_ = false;
      c.before_commit_.clear();
      topics |= c.changed_;
      c.changed_ = 0;  // forgotten once the transaction has ended, committed or not (a copy may have been loaded inside)
      // The failure ended the whole transaction (SQLite rolls back on I/O errors, a full disk, no memory; or above).
      if (sqlite3_get_autocommit(c.n_.sqlite))
        end_transaction(std::make_exception_ptr(std::runtime_error("sqlite: the transaction was rolled back")));
    }
    if (!members.empty()) {
      try {
        c.exec("COMMIT");
        end_transaction(nullptr);
      } catch (...) {
        try {
          c.exec("ROLLBACK");
        } catch (...) {
        }
        end_transaction(std::current_exception());
      }
    }
    in_use_--;
  }
}

void Db::sqlite_answer_loop() {
  Conn c(*this, *natives_.at(sqlite_answerer_->get_backend()), dialect_);
  std::vector<QueuedUnit*> batch;
  for (;;) {
    {
      std::unique_lock lock(answer_mutex_);
      answers_queued_.wait(lock, [&] { return answers_stopping_ || !answer_queue_.empty(); });
      if (answer_queue_.empty()) return;
      batch.swap(answer_queue_);
    }
    // One read transaction for the batch: its snapshot, taken at the first read, holds every unit in it.
    try {
      c.exec("BEGIN");
    } catch (...) {  // the reads then run each in its own transaction
    }
    for (QueuedUnit* m : batch) {
      try {
        (*m->after)(c);
      } catch (...) {
        m->error = std::current_exception();
      }
      // Woken at once, not at the batch's end: so the answered request goes on while the others are read
      // (woken at the end, the machine stood 30 % idle under 64 concurrent creates, and they ran 10 % slower).
      m->finished.set();
    }
    // A transaction left open would hold its snapshot: every later answer would miss its own write.
    if (!sqlite3_get_autocommit(c.n_.sqlite)) try {
        c.exec("COMMIT");
      } catch (...) {
        sqlite3_exec(c.n_.sqlite, "ROLLBACK", nullptr, nullptr, nullptr);
      }
    batch.clear();
  }
}

void Conn::before_commit(std::function<void(Conn&)> f) {
  if (in_tx_)
    before_commit_.push_back(std::move(f));
  else
    f(*this);
}
void Conn::run_before_commit() {
  for (size_t i = 0; i < before_commit_.size(); i++) {  // a queued step may queue another: index, not iterators
    auto step = std::move(before_commit_[i]);
    step(*this);
  }
  before_commit_.clear();
}

Db::Tx::Tx(Conn& c) : c(c) {
  c.in_tx_ = true;
  c.defer("BEGIN");  // PostgreSQL: sent with the transaction's first statement
}
void Db::Tx::commit() {
  c.run_before_commit();
  c.exec("COMMIT");
  done = true;
}
Db::Tx::~Tx() {
  c.in_tx_ = false;
  c.before_commit_.clear();
  if (!done) {
    // Deferred statements not sent yet have nothing to undo; with BEGIN still among them, neither has the server.
    bool begun = c.n_.pg_deferred.empty() || c.n_.pg_deferred.front().sql != "BEGIN";
    c.n_.pg_deferred.clear();
    if (begun) try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
    c.n_.pg_generic = -1;  // a SET in the transaction is undone
  }
}

const field_cipher::Key& Db::field_key() const {
  if (!field_key_) throw std::logic_error("the field key is not loaded (app::bootstrap)");
  return *field_key_;
}

PoolStats Db::stats() const { return {pool_size_ + (sqlite_writer_ ? 2 : 0), in_use_.load(), waits_.load()}; }

namespace {
template <class Convert>
void convert_fields(Json& j, std::initializer_list<const char*> fields, Convert convert) {
  auto one = [&](Json& row) {
    for (const char* f : fields) {
      auto it = row.find(f);
      if (it != row.end() && !it->is_null()) *it = convert(*it);
    }
  };
  if (j.is_array())
    for (auto& row : j) one(row);
  else if (j.is_object())
    one(j);
}
long long to_ll(const Json& v) {
  if (v.is_number()) return v.get<long long>();
  if (v.is_string()) return std::stoll(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  return 0;
}
}  // namespace

Value value_of(const Json& j) {
  if (j.is_null()) return nullptr;
  if (j.is_boolean()) return static_cast<long long>(j.get<bool>());
  if (j.is_number_integer()) return j.get<long long>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

void as_bool(Json& j, std::initializer_list<const char*> fields) {
  convert_fields(j, fields, [](const Json& v) { return Json(to_ll(v) != 0); });
}
void as_int(Json& j, std::initializer_list<const char*> fields) {
  convert_fields(j, fields, [](const Json& v) { return Json(to_ll(v)); });
}
void as_number(Json& j, std::initializer_list<const char*> fields) {
  convert_fields(j, fields, [](const Json& v) { return v.is_string() ? Json(std::stod(v.get<std::string>())) : v; });
}

long long as_id(const Json& v) {
  if (v.is_number()) return v.get<long long>();
  if (v.is_string()) return std::stoll(v.get<std::string>());
  return 0;
}

}  // namespace huoyan::store
