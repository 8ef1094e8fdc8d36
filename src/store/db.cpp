#include "store/db.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <deque>
#include <stdexcept>

namespace huoyan::store {

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += ":p" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// Holds bound values at stable addresses for the statement's lifetime.
struct Binder {
  std::deque<long long> ints;
  std::deque<double> doubles;
  std::deque<std::string> strings;
  std::deque<soci::indicator> indicators;

  void bind(soci::statement& st, const Params& params) {
    for (const auto& v : params) {
      if (std::holds_alternative<long long>(v)) {
        ints.push_back(std::get<long long>(v));
        st.exchange(soci::use(ints.back()));
      } else if (std::holds_alternative<double>(v)) {
        doubles.push_back(std::get<double>(v));
        st.exchange(soci::use(doubles.back()));
      } else if (std::holds_alternative<std::string>(v)) {
        strings.push_back(std::get<std::string>(v));
        st.exchange(soci::use(strings.back()));
      } else {
        strings.emplace_back();
        indicators.push_back(soci::i_null);
        st.exchange(soci::use(strings.back(), indicators.back()));
      }
    }
  }
};

Json cell(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return nullptr;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return r.get<unsigned long long>(i);
    case soci::dt_double: return r.get<double>(i);
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
      return std::string(buf);
    }
    default: return r.get<std::string>(i);
  }
}

void prepare(soci::statement& st, std::string_view sql) {
  st.alloc();
  // One-time queries: PostgreSQL runs them with PQexecParams instead of a
  // server-side PREPARE/DEALLOCATE pair per call.
  st.prepare(number_placeholders(sql), soci::details::st_one_time_query);
  st.define_and_bind();
}

}  // namespace

Json Conn::rows(std::string_view sql, const Params& params) {
  soci::statement st(s_);
  Binder b;
  b.bind(st, params);
  soci::row r;
  st.exchange(soci::into(r));
  prepare(st, sql);
  Json out = Json::array();
  if (st.execute(true)) {
    do {
      Json obj = Json::object();
      for (std::size_t i = 0; i < r.size(); ++i) obj[r.get_properties(i).get_name()] = cell(r, i);
      out.push_back(std::move(obj));
    } while (st.fetch());
  }
  return out;
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

long long Conn::exec(std::string_view sql, const Params& params) {
  soci::statement st(s_);
  Binder b;
  b.bind(st, params);
  prepare(st, sql);
  st.execute(true);
  return st.get_affected_rows();
}

long long Conn::insert(std::string_view sql, const Params& params) {
  // RETURNING works on SQLite >= 3.35 and PostgreSQL. The statement must be
  // fetched to its end, or SQLite keeps it open and never checkpoints the WAL.
  soci::statement st(s_);
  Binder b;
  b.bind(st, params);
  long long id = 0;
  st.exchange(soci::into(id));
  prepare(st, std::string(sql) + " RETURNING id");
  st.execute(true);
  while (st.fetch()) {
  }
  return id;
}

void Conn::script(const std::string& sql) {
  if (dialect_ == Dialect::Sqlite) {
    using namespace sqlite_api;  // SOCI's header wraps sqlite3.h in this namespace
    auto* be = static_cast<soci::sqlite3_session_backend*>(s_.get_backend());
    char* err = nullptr;
    if (sqlite3_exec(be->conn_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + msg);
    }
  } else {
    auto* be = static_cast<soci::postgresql_session_backend*>(s_.get_backend());
    PGresult* res = PQexec(be->conn_, sql.c_str());
    auto status = PQresultStatus(res);
    std::string msg = PQresultErrorMessage(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error("postgresql: " + msg);
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
}
}  // namespace

std::unique_ptr<Db> Db::open(const std::string& url, int pool_size) {
  std::unique_ptr<Db> db(new Db());
  db->url_ = url;
  db->pool_size_ = pool_size;
  db->pool_ = std::make_unique<soci::connection_pool>(pool_size);
  if (url.rfind("sqlite:", 0) == 0) {
    db->dialect_ = Dialect::Sqlite;
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
    for (int i = 0; i < pool_size; ++i) {
      db->pool_->at(i).open(soci::sqlite3, conn);
      configure_sqlite(db->pool_->at(i));
    }
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db->dialect_ = Dialect::Postgres;
    for (int i = 0; i < pool_size; ++i) {
      db->pool_->at(i).open(soci::postgresql, pg_conninfo(url));
      db->pool_->at(i) << "SET TIME ZONE 'UTC'";
    }
  } else {
    throw std::runtime_error("unknown database URL (use sqlite:PATH or postgresql://...): " + url);
  }
  return db;
}

Db::~Db() = default;

Db::Lease::Lease(Db* db, int index, std::unique_ptr<soci::session> s, std::unique_lock<std::mutex> lock,
                 soci::session& raw)
    : db(db), index(index), session(std::move(s)), writer_lock(std::move(lock)), conn(raw, db->dialect_) {
  db->in_use_++;
}

Db::Lease::~Lease() { db->in_use_--; }

Db::Lease Db::lease(bool for_write) {
  if (for_write && dialect_ == Dialect::Sqlite) {
    std::unique_lock<std::mutex> lock(writer_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
      waits_++;
      lock.lock();
    }
    return Lease(this, -1, nullptr, std::move(lock), *sqlite_writer_);
  }
  if (in_use_.load() >= pool_size_) waits_++;
  auto s = std::make_unique<soci::session>(*pool_);  // blocks until a pooled connection is free
  soci::session& raw = *s;
  return Lease(this, 0, std::move(s), {}, raw);
}

Db::Tx::Tx(Conn& c) : c(c) { c.exec(c.dialect() == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN"); }
void Db::Tx::commit() {
  c.exec("COMMIT");
  done = true;
}
Db::Tx::~Tx() {
  if (!done) {
    try {
      c.exec("ROLLBACK");
    } catch (...) {
    }
  }
}

PoolStats Db::stats() const { return {pool_size_ + (sqlite_writer_ ? 1 : 0), in_use_.load(), waits_.load()}; }

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

long long as_id(const Json& v) {
  if (v.is_number()) return v.get<long long>();
  if (v.is_string()) return std::stoll(v.get<std::string>());
  return 0;
}

}  // namespace huoyan::store
