#pragma once
// The one SQL layer over SQLite and PostgreSQL (through SOCI). Queries are
// written once with `?` placeholders; results come back as JSON objects keyed
// by column alias (quote camelCase aliases: AS "createdAt").
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "domain/field_cipher.h"

namespace soci {
class session;
class connection_pool;
}  // namespace soci

namespace huoyan::store {

using Json = nlohmann::json;
enum class Dialect { Sqlite, Postgres };
using Value = std::variant<std::nullptr_t, long long, double, std::string>;
using Params = std::vector<Value>;
using RowFn = std::function<void(Json&)>;
class RowView;
using RowViewFn = std::function<void(const RowView&)>;
struct Columns;  // a result's column names (db.cpp)

// A result row read in place, by column name, without building a JSON object: for answers written straight
// from the driver's buffers (the permit list). Valid only inside the callback that receives it. Asking for a
// column the statement does not have throws; a repeated name reads its last column, as rows() keeps.
class RowView {
 public:
  // One driver's current row, by column position.
  struct Cells {
    virtual bool null(int i) const = 0;
    virtual long long integer(int i) const = 0;  // booleans as 0/1
    virtual double real(int i) const = 0;
    virtual std::string_view text(int i) const = 0;  // data() is nullptr when null

   protected:
    ~Cells() = default;
  };
  RowView(const Columns& columns, const Cells& cells) : columns_(columns), cells_(cells) {}
  bool null(std::string_view column) const { return cells_.null(index(column)); }
  long long integer(std::string_view column) const;  // 0 when null
  double real(std::string_view column) const;  // 0 when null
  std::string_view text(std::string_view column) const;  // "" when null
  // The value, or nullopt when null: one lookup where null() and then text() or integer() take two.
  std::optional<std::string_view> maybe_text(std::string_view column) const;
  std::optional<long long> maybe_integer(std::string_view column) const;

 private:
  int index(std::string_view column) const;
  const Columns& columns_;
  const Cells& cells_;
  mutable size_t lookups_ = 0;  // this row's lookups so far (see Columns::guesses)
};

// Process-wide copies of data read on most requests and changed rarely, by topic. A write transaction that
// changes a topic's tables says so with Conn::changed(); the topic's copies are dropped when it ends. Only the
// one server process writes its database, so nothing else can make a copy stale.
enum class Topic : unsigned { Access = 1, Rules = 2 };  // Access: users, roles, org units, sessions, tokens; Rules: settings, calendar, key periods, dictionaries

// One open connection's raw driver handle and its prepared statements (db.cpp).
struct NativeConn;
class Db;

// A connection leased for one unit of work. SOCI opens and pools the
// connections; statements run on the driver's own handle, prepared once per
// connection and reused, because parsing each query anew and SOCI's dynamic
// rows cost more than the queries themselves on short reads.
class Conn {
 public:
  Conn(Db& db, NativeConn& n, Dialect d) : db_(db), n_(n), dialect_(d) {}
  Dialect dialect() const { return dialect_; }
  Db& db() const { return db_; }
  // This transaction changes `t`'s tables: its cached copies go when it commits or rolls back.
  void changed(Topic t) { changed_ |= static_cast<unsigned>(t); }
  unsigned changed_topics() const { return changed_; }

  Json rows(std::string_view sql, const Params& params = {});
  // Hands each row to `on_row` as it is read, so a large result need not be held (SQLite steps through it;
  // libpq still receives PostgreSQL's whole result). `on_row` may run other queries on this Conn.
  void each(std::string_view sql, const Params& params, const RowFn& on_row);
  // The same, each row as a RowView (no JSON object built). `on_row` may run other queries on this Conn.
  void each_view(std::string_view sql, const Params& params, const RowViewFn& on_row);
  std::optional<Json> row(std::string_view sql, const Params& params = {});
  // First column of the first row as an integer (0 when there is no row).
  long long scalar(std::string_view sql, const Params& params = {});
  std::optional<std::string> text(std::string_view sql, const Params& params = {});
  // Rows affected.
  long long exec(std::string_view sql, const Params& params = {});
  // Runs an INSERT of one row (not an upsert, which may write none or update one) and returns the new row's id.
  long long insert(std::string_view sql, const Params& params = {});
  // Runs several statements at once with the driver's native call (migrations).
  void script(const std::string& sql);
  // Runs `f` on this connection just before the transaction commits, in the order given (at once outside a
  // transaction). For writes that lock what every writer needs (the audit chain's head), so that lock is
  // held for the commit only, not for the rest of the transaction.
  void before_commit(std::function<void(Conn&)> f);
  // PostgreSQL plans the statements run on this lease from now on once for any values (plan_cache_mode =
  // force_generic_plan) rather than anew on each call: for short reads whose planning costs more than their
  // run (a permit, the permit list: many joins). Not for scans whose best plan depends on the values (the
  // permit board's time range). No effect on SQLite.
  void generic_plans() { generic_ = true; }
  // A read this lease will run later (each_view, rows, ... with the same SQL and values), sent on PostgreSQL
  // together with the next statement that runs: one round trip for several independent reads, such as a
  // detail's parts (libpq's pipeline mode). Its result waits until the read runs, a write runs (then it is
  // dropped and read again when asked) or the lease ends. No effect on SQLite, whose statements are in-process.
  void prefetch(std::string_view sql, const Params& params);
  // A statement whose result the caller does not need (an INSERT without RETURNING, a lock), inside a
  // transaction: on PostgreSQL sent in the same round trip as the next statement that runs, before it; if it
  // fails, that next statement throws its error instead (the transaction is then undone as for any error).
  // Runs at once on SQLite and outside a transaction. Not for DDL: the statements of one round trip are all
  // prepared before the first of them runs.
  void defer(std::string_view sql, const Params& params = {});

 private:
  friend class Db;
  void run_before_commit();  // the steps before_commit() queued, in order, then none
  Db& db_;
  NativeConn& n_;
  Dialect dialect_;
  unsigned changed_ = 0;
  bool in_tx_ = false;
  bool generic_ = false;
  std::vector<std::function<void(Conn&)>> before_commit_;
};

// Turns "a = ? AND b = ?" into PostgreSQL's numbered placeholders ("$1", "$2"), and "?N" (the N-th value, as SQLite
// reads it, for a value a statement uses more than once) into "$N". Do not mix the two in one statement.
std::string number_placeholders(std::string_view sql);

// Where the field key (domain/field_cipher.h) of the database at `url` is kept: `configured` when given, else
// beside a SQLite file ("PATH.key"), or data/huoyan.key for PostgreSQL; empty for an in-memory database.
std::string key_file_for(const std::string& url, const std::string& configured);

struct PoolStats {
  int size = 0;
  int in_use = 0;
  long long waits = 0;  // leases that had to wait for a free connection
};

class Db {
 public:
  // url: "sqlite:PATH" (":memory:" for tests) or "postgresql://user@host:port/db".
  // key_file: where the database's field key is kept (key_file_for). The key is loaded by app::bootstrap.
  static std::unique_ptr<Db> open(const std::string& url, int pool_size = 4, const std::string& key_file = "");
  ~Db();

  Dialect dialect() const { return dialect_; }
  std::string_view kind() const { return dialect_ == Dialect::Sqlite ? "sqlite" : "postgresql"; }
  const std::string& url() const { return url_; }
  // Empty for an in-memory database, whose key lives and dies with the process.
  const std::string& key_file() const { return key_file_; }
  // Throws until set_field_key() has been called (app::bootstrap does, at every start).
  const field_cipher::Key& field_key() const;
  void set_field_key(const field_cipher::Key& key) { field_key_ = key; }
  bool has_field_key() const { return field_key_.has_value(); }

  // Runs f(Conn&) on a reader connection.
  template <class F>
  auto read(F&& f) {
    Lease l = lease();
    return f(l.conn);
  }
  // Runs f(Conn&) as one unit of work on the writer: it is committed when f returns (write() returns once it
  // is durable) and undone when f throws, which write() then rethrows.
  // SQLite has a single writer connection, driven by one writer thread that runs the queued units back to back
  // (handing the connection from one request thread to the next cost two thread switches per unit, half of a
  // permit create's time). Units queued together share one transaction (group commit): each runs in its own
  // savepoint, and the transaction commits once the queue is empty, so a burst of writes pays for one commit
  // (the WAL's write and fsync) instead of one each. A unit's failure undoes only that unit; a failed commit
  // fails every unit that was in it. A unit must not call write() itself.
  template <class F>
  auto write(F&& f) {
    using R = decltype(f(std::declval<Conn&>()));
    if constexpr (std::is_void_v<R>) {
      run_write([&](Conn& c) { f(c); });
    } else {
      std::optional<R> result;
      run_write([&](Conn& c) { result.emplace(f(c)); });
      return std::move(*result);
    }
  }
  // Runs apply(Conn&) as write() does, then answer(Conn&, the value apply returned) on a reader once the write
  // has committed, and returns what answer returns: a command's answer read back from what it wrote. The
  // answer may see later writes too. On SQLite the answers of the units that committed together are read on
  // one connection of their own, in one read transaction, by a thread of their own: a reader drops its whole
  // page cache when it first reads after a commit, so this pays that once per commit, not once per answer,
  // and the writer thread, which all writes wait on, does not spend its time on reads.
  template <class W, class A>
  auto write_then_read(W&& apply, A&& answer) {
    using V = decltype(apply(std::declval<Conn&>()));
    using R = decltype(answer(std::declval<Conn&>(), std::declval<V&>()));
    if (dialect_ != Dialect::Sqlite) {
      V value = write(apply);
      return read([&](Conn& c) { return answer(c, value); });
    }
    std::optional<V> value;
    std::optional<R> result;
    const std::function<void(Conn&)> read_answer = [&](Conn& c) { result.emplace(answer(c, *value)); };
    run_sqlite_write([&](Conn& c) { value.emplace(apply(c)); }, &read_answer);
    return std::move(*result);
  }
  PoolStats stats() const;

  // The copy of `key` under `topic`, loaded by `load()` (returning a T) when there is none.
  template <class T, class F>
  std::shared_ptr<const T> cached(Topic topic, const std::string& key, F&& load) {
    long long generation = 0;
    if (auto hit = cache_find(topic, key, generation)) return std::static_pointer_cast<const T>(hit);
    auto value = std::make_shared<const T>(load());
    cache_store(topic, key, value, generation);
    return value;
  }
  // Drops one copy (after a write of its own row that the topic need not hear of).
  void forget(Topic topic, const std::string& key);

 private:
  struct Lease {
    Db* db;
    std::unique_ptr<soci::session> session;  // leased from the pool
    Conn conn;
    Lease(Db* db, std::unique_ptr<soci::session> s);
    Lease(Lease&&) = delete;
    ~Lease();
  };
  struct Tx {  // a PostgreSQL write's transaction (SQLite's: run_sqlite_write)
    Conn& c;
    bool done = false;
    explicit Tx(Conn& c);
    void commit();
    ~Tx();
  };
  Db() = default;
  Lease lease();
  void run_write(const std::function<void(Conn&)>& unit);
  struct QueuedUnit;
  void run_sqlite_write(const std::function<void(Conn&)>& unit, const std::function<void(Conn&)>* after = nullptr);
  void sqlite_writer_loop();
  void sqlite_answer_loop();
  QueuedUnit* next_queued_unit(bool wait);
  void add_native(soci::session& s);
  std::shared_ptr<const void> cache_find(Topic topic, const std::string& key, long long& generation);
  // Keeps `value` unless the topic changed since `generation` (it may have been loaded before that change).
  void cache_store(Topic topic, const std::string& key, std::shared_ptr<const void> value, long long generation);
  void forget_topics(unsigned topics);
  struct TopicCache {
    long long generation = 0;
    std::unordered_map<std::string, std::shared_ptr<const void>> items;
  };
  std::mutex cache_mutex_;
  TopicCache caches_[2];  // by Topic bit: Access, Rules
  friend struct Lease;

  Dialect dialect_ = Dialect::Sqlite;
  std::string url_;
  std::string key_file_;
  std::optional<field_cipher::Key> field_key_;  // set once at start, before any request
  std::unique_ptr<soci::connection_pool> pool_;
  std::unique_ptr<soci::session> sqlite_writer_;
  std::unique_ptr<soci::session> sqlite_answerer_;  // write_then_read's answers (sqlite_answer_loop)
  // Keyed by SOCI's backend object of each connection; filled by open(), read-only after.
  // Declared after the sessions so its statements are finalized before they close.
  std::unordered_map<const void*, std::unique_ptr<NativeConn>> natives_;
  // SQLite's write queue (see write()), guarded by queue_mutex_; the writer thread waits on queue_filled_.
  std::mutex queue_mutex_;
  std::condition_variable queue_filled_;
  std::deque<QueuedUnit*> queue_;
  bool stopping_ = false;
  std::thread sqlite_writer_thread_;
  // Committed units whose answer is still to be read (write_then_read), guarded by answer_mutex_.
  std::mutex answer_mutex_;
  std::condition_variable answers_queued_;
  std::vector<QueuedUnit*> answer_queue_;
  bool answers_stopping_ = false;
  std::thread sqlite_answer_thread_;
  int pool_size_ = 0;
  std::atomic<int> in_use_{0};
  std::atomic<long long> waits_{0};
};

// "(?, ?, ...)" for `col IN (...)` over `ids` (not empty), their values appended to `p` in order.
template <class Ids>
std::string in_list(const Ids& ids, Params& p) {
  std::string marks = "(";
  for (long long id : ids) {
    marks += marks.size() > 1 ? ", ?" : "?";
    p.emplace_back(id);
  }
  return marks + ")";
}

// An id column as an integer, whether the driver returned a number or text.
long long as_id(const Json& v);

// A JSON scalar as a bound value (objects and arrays as their JSON text).
Value value_of(const Json& j);

// Convert the named columns of every row to JSON booleans / integers
// (SQLite reports expression columns as text, and booleans are 0/1).
void as_bool(Json& rows_or_row, std::initializer_list<const char*> fields);
void as_int(Json& rows_or_row, std::initializer_list<const char*> fields);
// The same to JSON numbers, for DOUBLE PRECISION columns (PostgreSQL's text form); NULL stays null.
void as_number(Json& rows_or_row, std::initializer_list<const char*> fields);

}  // namespace huoyan::store
