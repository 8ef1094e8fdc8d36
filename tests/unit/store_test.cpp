// The SQL layer, migrations and data scope against a real (in-memory) SQLite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>
#include <thread>

#include "app/audit.h"
#include "app/auth.h"
#include "app/bootstrap.h"
#include "app/json_out.h"
#include "app/users.h"
#include "domain/errors.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/scope.h"

using namespace huoyan;
using nlohmann::json;

namespace {
// A fresh directory for a test's database file (the writer and the readers are separate connections to it),
// removed with what is left in it when the test ends, passed or not.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("huoyan-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string db_url() const { return "sqlite:" + (path / "t.db").string(); }
};
}  // namespace

TEST(Placeholders, NumbersQuestionMarksOutsideQuotes) {
  EXPECT_EQ(store::number_placeholders("a = ? AND b = '?' AND c = ?"), "a = $1 AND b = '?' AND c = $2");
  EXPECT_EQ(store::number_placeholders("a = ?1 OR b = ?1 OR c = ?12"), "a = $1 OR b = $1 OR c = $12");
}

// Statements are prepared once per connection and reused: a reused statement
// sees new data and new bindings, a failed one leaves the connection usable,
// and more distinct statements than the cache holds still run.
TEST(StatementCache, ReusedStatementsSeeFreshBindingsAndData) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score DOUBLE PRECISION)"); });
  for (int i = 1; i <= 3; ++i) {
    db->write([&](store::Conn& c) {
      c.insert("INSERT INTO t (name, score) VALUES (?, ?)", {"n" + std::to_string(i), i * 1.5});
    });
    long long count = db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    EXPECT_EQ(count, i);
  }
  auto row = db->read([](store::Conn& c) { return c.row("SELECT id, name, score, NULL AS missing FROM t WHERE name = ?", {"n2"}); });
  ASSERT_TRUE(row);
  EXPECT_EQ((*row)["id"], 2);
  EXPECT_EQ((*row)["name"], "n2");
  EXPECT_DOUBLE_EQ((*row)["score"].get<double>(), 3.0);
  EXPECT_TRUE((*row)["missing"].is_null());
  EXPECT_THROW(db->read([](store::Conn& c) { return c.rows("SELECT nope FROM t"); }), std::runtime_error);
  EXPECT_THROW(db->read([](store::Conn& c) { return c.rows("SELECT id FROM t WHERE id = ?", {}); }), std::runtime_error);
  long long total = 0;
  for (int i = 0; i < 1000; ++i)
    total += db->read([&](store::Conn& c) { return c.scalar("SELECT COUNT(*) + " + std::to_string(i) + " FROM t"); });
  EXPECT_EQ(total, 1000 * 3 + 999 * 1000 / 2);
}

// A row is keyed by column name whatever the select order; a repeated name keeps its last column (as
// assigning the columns in turn would); a cached "SELECT *" sees a column added after it was first run.
// insert() answers the id of the row its statement wrote, not one that a trigger wrote elsewhere, in a group
// commit beside other units.
TEST(Insert, AnswersItsOwnRowsIdWhateverATriggerWrites) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) {
    c.script(
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);"
        "CREATE TABLE log (id INTEGER PRIMARY KEY, t_id BIGINT);"
        "INSERT INTO log (id, t_id) VALUES (100, 0);"
        "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log (t_id) VALUES (NEW.id); INSERT INTO log (t_id) VALUES (NEW.id); END");
  });
  std::vector<long long> ids;
  db->write([&](store::Conn& c) {
    for (int i = 0; i < 3; ++i) ids.push_back(c.insert("INSERT INTO t (name) VALUES (?)", {"n" + std::to_string(i)}));
  });
  EXPECT_EQ(ids, (std::vector<long long>{1, 2, 3}));
  for (long long id : ids) {
    auto name = db->read([&](store::Conn& c) { return c.text("SELECT name FROM t WHERE id = ?", {id}); });
    EXPECT_EQ(name, "n" + std::to_string(id - 1));
  }
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT MAX(id) FROM log"); }), 106);
}

TEST(StatementCache, RowsKeyColumnsByNameLastOneWins) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, a TEXT); INSERT INTO t VALUES (1, 'bee', 'ay')"); });
  auto rows = db->read([](store::Conn& c) { return c.rows("SELECT b AS zed, a, id AS a2, b AS a, 7 AS zed FROM t"); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (json{{"a", "bee"}, {"a2", 1}, {"zed", 7}}));
  auto all = [&] { return db->read([](store::Conn& c) { return *c.row("SELECT * FROM t"); }); };
  EXPECT_EQ(all(), (json{{"id", 1}, {"a", "ay"}, {"b", "bee"}}));
  db->write([](store::Conn& c) { c.script("ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 5"); });
  EXPECT_EQ(all(), (json{{"id", 1}, {"a", "ay"}, {"b", "bee"}, {"c", 5}}));
}

// A row view reads the current row in place by name (a repeated name: its last column), another query may run
// while it is held, and JsonOut writes what it reads as the JSON a JSON object of the row would give.
TEST(StatementCache, RowViewsReadColumnsInPlaceByName) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) {
    c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER, doc TEXT, score REAL);"
             "INSERT INTO t VALUES (1, '甲\"\n', 1, '[1,{\"a\":2}]', 2.5), (2, NULL, 0, NULL, NULL)");
  });
  std::string text = db->read([](store::Conn& c) {
    app::JsonOut out;
    out.begin_array();
    c.each_view("SELECT id, name, flag, doc, score, 'x' AS name2, id AS name2 FROM t ORDER BY id", {}, [&](const store::RowView& r) {
      EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM t"), 2);  // another statement while this row is held
      out.begin_object().key("id").integer(r.integer("id")).key("name").text_of(r, "name").key("flag").boolean_of(r, "flag");
      out.key("doc").raw_of(r, "doc").key("score").number(r.real("score")).key("name2").integer_of(r, "name2").end_object();
      EXPECT_THROW(r.text("nope"), std::logic_error);
    });
    return out.end_array().str();
  });
  EXPECT_EQ(json::parse(text), json::parse(R"([{"id":1,"name":"甲\"\n","flag":true,"doc":[1,{"a":2}],"score":2.5,"name2":1},
                                               {"id":2,"name":null,"flag":false,"doc":null,"score":0,"name2":2}])"));
}

// JsonOut copies a string as it is unless a byte in it must be escaped, wherever that byte is (in a 16-byte block,
// in the rest after the blocks, or at their edges) and whatever the length: the text parses back to the string.
TEST(JsonOut, StringsReadBackAsWrittenWhereverAnEscapeFalls) {
  const std::string specials[] = {"\"", "\\", "\n", std::string(1, '\x01'), std::string(1, '\x1f'), "\x7f", "甲"};
  for (size_t length = 0; length <= 40; ++length)
    for (const std::string& special : specials)
      for (size_t at = 0; at <= length; ++at) {
        std::string s(length, 'a');
        s.insert(at, special);
        app::JsonOut out;
        out.begin_array().text(s).end_array();
        json back = json::parse(out.str());
        ASSERT_EQ(back[0].get<std::string>(), s) << "length " << length << " at " << at;  // JSON has no raw control byte
      }
}

// Rows of one result asked for their columns in different orders and numbers still read the right ones.
TEST(StatementCache, RowViewsReadRightColumnsWhateverTheOrderOfLookups) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT); INSERT INTO t VALUES (1, 'a1', 'b1'), (2, 'a2', 'b2'), (3, 'a3', 'b3')"); });
  std::vector<std::string> seen;
  db->read([&](store::Conn& c) {
    c.each_view("SELECT id, a, b FROM t ORDER BY id", {}, [&](const store::RowView& r) {
      long long id = r.integer("id");
      if (id == 2) seen.push_back(std::string(r.text("b")) + std::string(r.text("a")));
      else if (id == 3) seen.push_back(std::string(r.text("a")) + std::to_string(r.integer("id")) + std::string(r.text("b")));
      else seen.push_back(std::string(r.text("a")) + std::string(r.text("b")));
    });
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a1b1", "b2a2", "a33b3"}));
}

// Writers queued for SQLite's one writer share a transaction (group commit): each unit is kept or undone on
// its own, and every kept one is there once write() has returned.
TEST(GroupCommit, ConcurrentUnitsAreKeptOrUndoneEachOnItsOwn) {
  TempDir dir("gc");
  {
    auto db = store::Db::open(dir.db_url(), 2);
    db->write([](store::Conn& c) { c.script("CREATE TABLE t (thread INTEGER, k INTEGER, UNIQUE (thread, k))"); });
    constexpr int kThreads = 12, kUnits = 60;
    std::atomic<int> kept{0}, undone{0}, wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int k = 0; k < kUnits; ++k) {
          try {
            long long n = db->write([&](store::Conn& c) {
              c.exec("INSERT INTO t VALUES (?, ?)", {static_cast<long long>(t), static_cast<long long>(k)});
              if (k % 5 == 0) throw std::runtime_error("refused");
              if (k % 7 == 0) c.exec("INSERT INTO t VALUES (?, ?)", {static_cast<long long>(t), static_cast<long long>(k)});  // duplicate
              return c.scalar("SELECT COUNT(*) FROM t WHERE thread = ? AND k = ?", {static_cast<long long>(t), static_cast<long long>(k)});
            });
            if (n != 1) wrong++;
            // Once write() returns, a reader sees the unit.
            if (db->read([&](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t WHERE thread = ? AND k = ?", {static_cast<long long>(t), static_cast<long long>(k)}); }) != 1) wrong++;
            kept++;
          } catch (const std::exception&) {
            undone++;
          }
        }
      });
    for (auto& th : threads) th.join();
    int expected_undone = 0;
    for (int k = 0; k < kUnits; ++k) expected_undone += (k % 5 == 0 || k % 7 == 0) ? 1 : 0;
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(undone, kThreads * expected_undone);
    EXPECT_EQ(kept, kThreads * (kUnits - expected_undone));
    long long rows = db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    EXPECT_EQ(rows, kept.load());
    long long refused = db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t WHERE k % 5 = 0 OR k % 7 = 0"); });
    EXPECT_EQ(refused, 0);
  }
}

// write_then_read: each answer is read after its own write committed and sees it, whatever else commits in the
// same group; a write that fails is not answered and its error comes back; a read that fails gives its own
// error, and the write it follows stays.
TEST(GroupCommit, AnswersAreReadAfterTheirOwnWriteCommitted) {
  TempDir dir("wtr");
  {
    auto db = store::Db::open(dir.db_url(), 2);
    db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, thread INTEGER, k INTEGER)"); });
    constexpr int kThreads = 12, kUnits = 50;
    std::atomic<int> answered{0}, write_failed{0}, read_failed{0}, wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (long long k = 0; k < kUnits; ++k) {
          bool read_ran = false;
          try {
            std::string answer = db->write_then_read(
                [&](store::Conn& c) {
                  long long id = c.insert("INSERT INTO t (thread, k) VALUES (?, ?)", {static_cast<long long>(t), k});
                  if (k % 5 == 0) throw std::runtime_error("write refused");
                  return id;
                },
                [&](store::Conn& c, long long id) {
                  read_ran = true;
                  if (k % 7 == 0) throw std::invalid_argument("read refused");
                  return c.text("SELECT thread || ':' || k FROM t WHERE id = ?", {id}).value_or("missing");
                });
            if (answer != std::to_string(t) + ":" + std::to_string(k)) wrong++;
            answered++;
          } catch (const std::runtime_error& e) {
            if (read_ran || std::string(e.what()) != "write refused") wrong++;
            write_failed++;
          } catch (const std::invalid_argument&) {
            read_failed++;
          }
        }
      });
    for (auto& th : threads) th.join();
    int refused_writes = 0, refused_reads = 0;
    for (int k = 0; k < kUnits; ++k) {
      refused_writes += k % 5 == 0;
      refused_reads += k % 5 != 0 && k % 7 == 0;
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(write_failed, kThreads * refused_writes);
    EXPECT_EQ(read_failed, kThreads * refused_reads);
    EXPECT_EQ(answered, kThreads * (kUnits - refused_writes - refused_reads));
    EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); }), kThreads * (kUnits - refused_writes));
    EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t WHERE k % 5 = 0"); }), 0);
  }
}

// SQLite's units run one after another on the writer thread: a unit that calls write() would wait for itself.
TEST(GroupCommit, AWriteInsideAWriteIsRefusedAndUndoesItsUnit) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY)"); });
  EXPECT_THROW(db->write([&](store::Conn& c) {
    c.exec("INSERT INTO t (id) VALUES (1)");
    db->write([](store::Conn& inner) { inner.exec("INSERT INTO t (id) VALUES (2)"); });
  }), std::logic_error);
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); }), 0);
  db->write([](store::Conn& c) { c.exec("INSERT INTO t (id) VALUES (3)"); });
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); }), 1);
}

TEST(Migrations, RenderPerDialect) {
  std::string sql = "CREATE TABLE t (id {{ID}});\n-- @sqlite\nS;\n-- @postgresql\nP;\n-- @end\nX;\n";
  auto lite = store::render_migration(sql, store::Dialect::Sqlite);
  auto pg = store::render_migration(sql, store::Dialect::Postgres);
  EXPECT_NE(lite.find("INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);
  EXPECT_NE(lite.find("S;"), std::string::npos);
  EXPECT_EQ(lite.find("P;"), std::string::npos);
  EXPECT_NE(pg.find("BIGSERIAL PRIMARY KEY"), std::string::npos);
  EXPECT_NE(pg.find("P;"), std::string::npos);
  EXPECT_EQ(pg.find("S;"), std::string::npos);
  EXPECT_NE(pg.find("X;"), std::string::npos);
}

// An installation's administrators (the task force's, the system's and the security's) log in with a second factor;
// the demo town lets them in with the password.
TEST(SecondFactor, RequiredOfTheAdministratorsRolesExceptInTheDemo) {
  auto requiring = [](store::Db& db) {
    return db.read([](store::Conn& c) {
      return c.rows("SELECT key FROM roles WHERE second_factor = 1 ORDER BY key").dump();
    });
  };
  auto db = store::Db::open("sqlite::memory:", 2);
  app::bootstrap(*db, "金凤镇");
  EXPECT_EQ(requiring(*db), R"([{"key":"admin"},{"key":"auditor"},{"key":"sec_admin"},{"key":"sys_admin"}])");
  app::load_demo(*db);
  EXPECT_EQ(requiring(*db), "[]");
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db = store::Db::open("sqlite::memory:", 2);
    app::load_demo(*db);
  }
  access::Caller caller_for(const std::string& username) {
    return db->read([&](store::Conn& c) {
      long long id = c.scalar("SELECT id FROM users WHERE username = ?", {username});
      return *app::load_caller(c, id);
    });
  }
  std::unique_ptr<store::Db> db;
};

TEST_F(StoreTest, MigrationsAreRecordedAndIdempotent) {
  EXPECT_EQ(store::schema_version(*db), static_cast<int>(store::embedded_migrations().size()));
  EXPECT_EQ(store::migrate(*db), 0);
}

TEST_F(StoreTest, DemoLoadsOnceAndReturnsTheSameLogins) {
  auto again = app::load_demo(*db);
  EXPECT_EQ(again.size(), 12u);
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM org_units WHERE kind = 'department'"); }), 9);
}

TEST_F(StoreTest, WriteRollsBackOnErrorWithItsOwnErrorAndTheNextWriteGoesOn) {
  try {
    db->write([](store::Conn& c) {
      c.exec("INSERT INTO settings (key, value) VALUES ('x', '1')");
      throw std::runtime_error("boom");
    });
    ADD_FAILURE() << "the write did not fail";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_FALSE(db->read([](store::Conn& c) { return c.text("SELECT value FROM settings WHERE key = 'x'"); }));
  db->write([](store::Conn& c) { c.exec("INSERT INTO settings (key, value) VALUES ('y', '2')"); });
  EXPECT_EQ(db->read([](store::Conn& c) { return c.text("SELECT value FROM settings WHERE key = 'y'"); }), "2");
}

TEST_F(StoreTest, DeptScopeSeesOnlyItsDepartment) {
  auto officer = caller_for("sw_officer");
  json list = app::list_users(*db, officer, {});
  ASSERT_GT(list["total"].get<long long>(), 0);
  for (const auto& u : list["items"]) EXPECT_EQ(u["orgUnitName"], "商贸发展岗");
  long long outsider = db->read([](store::Conn& c) { return c.scalar("SELECT id FROM users WHERE username = 'wj_officer'"); });
  try {
    app::get_user(*db, officer, outsider);
    FAIL() << "expected NOT_FOUND";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code, "NOT_FOUND");
  }
}

TEST_F(StoreTest, DeptTreeScopeIncludesGrids) {
  auto grid = caller_for("grid_longfeng");
  store::Params params;
  std::string cond = store::scope_condition(grid, {"u.org_unit_id"}, {"u.id"}, params);
  long long n = db->read([&](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM users u WHERE " + cond, params); });
  long long expected = db->read([](store::Conn& c) {
    return c.scalar("SELECT COUNT(*) FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE o.name LIKE '龙凤社区%'");
  });
  EXPECT_EQ(n, expected);
  EXPECT_GE(n, 2);  // the community itself and its first grid
}

TEST_F(StoreTest, OfficerCannotGrantAdminRole) {
  auto officer = caller_for("sw_officer");
  auto permissions = *officer.permissions;
  permissions.insert("user:write");
  officer.permissions = std::make_shared<const std::set<std::string, std::less<>>>(std::move(permissions));
  long long admin_role = db->read([](store::Conn& c) { return c.scalar("SELECT id FROM roles WHERE key = 'admin'"); });
  long long dept = officer.org_unit_id;
  json body = {{"username", "escalate"}, {"name", "某人"}, {"phone", "13900000001"}, {"orgUnitId", dept},
               {"roleId", admin_role}, {"password", "Abcdef1!"}};
  try {
    app::create_user(*db, officer, body);
    FAIL() << "expected ROLE_NOT_ASSIGNABLE";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code, "ROLE_NOT_ASSIGNABLE");
  }
}

TEST_F(StoreTest, CreateUserWritesAuditInSameTransaction) {
  auto admin = caller_for("admin");
  long long dept = admin.org_unit_id;
  long long role = db->read([](store::Conn& c) { return c.scalar("SELECT id FROM roles WHERE key = 'officer'"); });
  json user = app::create_user(*db, admin,
                               {{"username", "newbie"}, {"name", "新人"}, {"phone", "13900000002"}, {"orgUnitId", dept},
                                {"roleId", role}, {"password", "Abcdef1!"}});
  EXPECT_TRUE(user["mustChangePassword"].get<bool>());
  json audit = app::list_audit(*db, {{"action", "user.create"}});
  ASSERT_EQ(audit["total"], 1);
  EXPECT_EQ(audit["items"][0]["targetId"], std::to_string(user["id"].get<long long>()));
  EXPECT_EQ(audit["items"][0]["summary"]["after"]["phone"], "139****0002");  // no personal data in the log
  EXPECT_TRUE(app::verify_chain(*db).ok);
  // A duplicate username is refused and leaves no audit row behind.
  EXPECT_THROW(app::create_user(*db, admin,
                                {{"username", "newbie"}, {"name", "新人"}, {"phone", "13900000003"}, {"orgUnitId", dept},
                                 {"roleId", role}, {"password", "Abcdef1!"}}),
               ApiError);
  EXPECT_EQ(app::list_audit(*db, {{"action", "user.create"}})["total"], 1);
}

TEST_F(StoreTest, AuditLogIsAppendOnlyAndTamperingIsDetected) {
  auto admin = caller_for("admin");
  for (int i = 0; i < 3; ++i)
    db->write([&](store::Conn& c) { app::record(c, admin, "test.action", "thing", std::to_string(i), nullptr, json{{"i", i}}); });
  EXPECT_THROW(db->write([](store::Conn& c) { c.exec("UPDATE audit_log SET action = 'x'"); }), std::exception);
  db->write([](store::Conn& c) {
    c.script("DROP TRIGGER audit_log_no_update");
    c.exec("UPDATE audit_log SET action = 'x' WHERE target_id = '1'");
  });
  long long edited = db->read([](store::Conn& c) { return c.scalar("SELECT id FROM audit_log WHERE target_id = '1' AND action = 'x'"); });
  long long before = db->read([&](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM audit_log WHERE id < ?", {edited}); });
  auto check = app::verify_chain(*db);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.broken_at, edited);
  EXPECT_EQ(check.checked, before);
}

// Steps queued with before_commit run last, in order, inside the transaction; a transaction that throws runs
// none; outside a transaction a step runs at once.
// 剩余信息保护: a deleted row's text and an updated value's old text are not left in the database file.
TEST(SecureDelete, RemovedTextIsNotLeftInTheFile) {
  TempDir dir("secure-delete");
  std::string path = (dir.path / "t.db").string();
  {
    auto db = store::Db::open(dir.db_url(), 1);
    db->write([](store::Conn& c) {
      c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT)");
      for (int i = 0; i < 50; ++i) c.exec("INSERT INTO t (secret) VALUES (?)", {"keep-" + std::to_string(i) + std::string(40, 'k')});
      c.exec("INSERT INTO t (id, secret) VALUES (1000, 'DELETED-SECRET-7431'), (1001, 'REPLACED-SECRET-5196')");
    });
    db->write([](store::Conn& c) {
      c.exec("DELETE FROM t WHERE id = 1000");
      c.exec("UPDATE t SET secret = 'short' WHERE id = 1001");
    });
  }  // closing the last connection checkpoints the WAL into the file and removes it
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("keep-49"), std::string::npos) << "the file was not read";
  EXPECT_EQ(bytes.find("DELETED-SECRET-7431"), std::string::npos);
  EXPECT_EQ(bytes.find("REPLACED-SECRET-5196"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal") && std::filesystem::file_size(path + "-wal") > 0);
}

TEST(BeforeCommit, RunsLastInsideTheTransactionOrNotAtAll) {
  auto db = store::Db::open("sqlite::memory:", 1);
  db->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"); });
  db->write([](store::Conn& c) {
    c.before_commit([](store::Conn& c) { c.exec("INSERT INTO t (name) VALUES ('first')"); });
    c.before_commit([](store::Conn& c) {
      EXPECT_EQ(c.text("SELECT name FROM t ORDER BY id DESC LIMIT 1"), "first");
      c.exec("INSERT INTO t (name) VALUES ('second')");
    });
    c.exec("INSERT INTO t (name) VALUES ('body')");
  });
  EXPECT_EQ(db->read([](store::Conn& c) { return c.rows("SELECT name FROM t ORDER BY id"); }), json::parse(R"([{"name":"body"},{"name":"first"},{"name":"second"}])"));
  EXPECT_THROW(db->write([](store::Conn& c) {
    c.before_commit([](store::Conn& c) { c.exec("INSERT INTO t (name) VALUES ('lost')"); });
    throw std::runtime_error("fails");
  }), std::runtime_error);
  EXPECT_THROW(db->write([](store::Conn& c) {
    c.exec("INSERT INTO t (name) VALUES ('undone')");
    c.before_commit([](store::Conn&) { throw std::runtime_error("step fails"); });
  }), std::runtime_error);
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); }), 3);
  db->write([](store::Conn&) {});  // a later transaction does not run the thrown ones' steps
  EXPECT_EQ(db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); }), 3);
}

// Cached copies: loaded once, dropped when a transaction that changed their topic ends (committed or not),
// and a copy loaded before such a change is not kept.
TEST(TopicCache, CopiesAreDroppedByChangesToTheirTopic) {
  auto db = store::Db::open("sqlite::memory:", 1);
  int loads = 0;
  auto get = [&] { return *db->cached<int>(store::Topic::Rules, "n", [&] { return ++loads; }); };
  EXPECT_EQ(get(), 1);
  EXPECT_EQ(get(), 1);
  db->write([](store::Conn& c) { c.changed(store::Topic::Access); });
  EXPECT_EQ(get(), 1) << "another topic's change dropped the copy";
  db->write([](store::Conn& c) { c.changed(store::Topic::Rules); });
  EXPECT_EQ(get(), 2);
  EXPECT_THROW(db->write([](store::Conn& c) {
    c.changed(store::Topic::Rules);
    throw std::runtime_error("rolled back");
  }),
               std::runtime_error);
  EXPECT_EQ(get(), 3);
  // A load that overlaps a committed change is used once but not kept.
  int stale = *db->cached<int>(store::Topic::Rules, "m", [&] {
    db->write([](store::Conn& c) { c.changed(store::Topic::Rules); });
    return 10;
  });
  EXPECT_EQ(stale, 10);
  EXPECT_EQ(*db->cached<int>(store::Topic::Rules, "m", [] { return 11; }), 11);
  db->forget(store::Topic::Rules, "m");
  EXPECT_EQ(*db->cached<int>(store::Topic::Rules, "m", [] { return 12; }), 12);
}

// PostgreSQL only: scripts/test-all.sh runs the Postgres* tests inside its throwaway cluster (HUOYAN_PG_URL), whose
// field key is HUOYAN_KEY_FILE (the API tests have given the database its key already).
static std::unique_ptr<store::Db> open_postgres(const char* url) {
  const char* key_file = std::getenv("HUOYAN_KEY_FILE");
  return store::Db::open(url, 1, key_file ? key_file : "");
}

// PostgreSQL only: scripts/test-all.sh runs the Postgres* tests inside its throwaway cluster (HUOYAN_PG_URL).
TEST(Postgres, PrefetchedReadsGoToTheirOwnStatementsAndSeeEveryEarlierWrite) {
  const char* url = std::getenv("HUOYAN_PG_URL");
  if (!url) GTEST_SKIP() << "HUOYAN_PG_URL is not set";
  auto db = open_postgres(url);
  db->write([](store::Conn& c) {
    c.exec("CREATE TABLE IF NOT EXISTS prefetch_t (id INTEGER PRIMARY KEY, v TEXT)");
    c.exec("DELETE FROM prefetch_t");
    c.exec("INSERT INTO prefetch_t (id, v) VALUES (1, 'a'), (2, 'b')");
  });
  const char* by_id = "SELECT v FROM prefetch_t WHERE id = ?";
  const char* count = "SELECT COUNT(*) FROM prefetch_t WHERE id >= ?";
  db->read([&](store::Conn& c) {
    c.prefetch(by_id, {2LL});
    c.prefetch(count, {2LL});
    c.prefetch(by_id, {1LL});
    EXPECT_EQ(c.text(by_id, {1LL}), "a");  // sent with the queued ones, answered with its own values
    EXPECT_EQ(c.scalar(count, {1LL}), 2);   // other values than the prefetched: asked anew
    EXPECT_EQ(c.scalar(count, {2LL}), 1);
    EXPECT_EQ(c.text(by_id, {2LL}), "b");
    c.prefetch(by_id, {1LL});
    EXPECT_THROW(c.scalar("SELECT no_such_column FROM prefetch_t"), std::runtime_error);
    EXPECT_EQ(c.text(by_id, {1LL}), "a");  // the connection is usable after a failed pipeline
    const char* fails = "SELECT 1 / (? - 1)";
    c.prefetch(fails, {1LL});                // division by zero: fails when run, skipping what follows it
    EXPECT_EQ(c.text(by_id, {2LL}), "b");    // so this one runs again on its own
    EXPECT_THROW(c.scalar(fails, {1LL}), std::runtime_error);
  });
  db->write([&](store::Conn& c) {
    c.prefetch(by_id, {1LL});
    c.text(by_id, {2LL});  // sends the prefetch: its result now waits
    c.exec("UPDATE prefetch_t SET v = 'changed' WHERE id = 1");
    EXPECT_EQ(c.text(by_id, {1LL}), "changed");
    c.prefetch(by_id, {2LL});
    c.exec("UPDATE prefetch_t SET v = 'changed too' WHERE id = 2");  // the queued read is sent after this write
    EXPECT_EQ(c.text(by_id, {2LL}), "changed too");
  });
  // Inside a transaction a failing prefetched read aborts it: the statement sent with it reports the read's error,
  // not PostgreSQL's "current transaction is aborted".
  try {
    db->write([&](store::Conn& c) {
      c.prefetch("SELECT 1 / (? - 1)", {1LL});
      c.text(by_id, {1LL});
    });
    ADD_FAILURE() << "the write committed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
  }
  db->write([](store::Conn& c) { c.exec("DROP TABLE prefetch_t"); });
}

// Conn::defer: on PostgreSQL a deferred write is sent with the next statement, before it; on SQLite it runs at
// once. Either way the writes keep their order, and a failing one undoes the whole write.
static void check_deferred_writes(store::Db& db) {
  db.write([](store::Conn& c) {
    c.exec("CREATE TABLE IF NOT EXISTS defer_t (id INTEGER PRIMARY KEY, v TEXT)");
    c.exec("DELETE FROM defer_t");
  });
  auto count = [&] { return db.read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM defer_t"); }); };
  db.write([](store::Conn& c) {
    c.defer("INSERT INTO defer_t (id, v) VALUES (?, ?)", {1LL, "a"});
    c.defer("UPDATE defer_t SET v = 'b' WHERE id = 1");
    EXPECT_EQ(c.text("SELECT v FROM defer_t WHERE id = ?", {1LL}), "b");
    c.defer("INSERT INTO defer_t (id, v) VALUES (?, ?)", {2LL, "c"});  // sent with the COMMIT
  });
  EXPECT_EQ(count(), 2);
  EXPECT_THROW(db.write([](store::Conn& c) {
    c.exec("INSERT INTO defer_t (id, v) VALUES (3, 'd')");
    c.defer("INSERT INTO defer_t (id, v) VALUES (1, 'duplicate')");
    c.exec("INSERT INTO defer_t (id, v) VALUES (4, 'e')");
  }), std::runtime_error);
  EXPECT_THROW(db.write([](store::Conn& c) {
    c.exec("INSERT INTO defer_t (id, v) VALUES (5, 'f')");
    c.defer("INSERT INTO defer_t (id, v) VALUES (2, 'duplicate')");  // fails with the COMMIT
  }), std::runtime_error);
  EXPECT_EQ(count(), 2);
  // A unit that fails before its first statement: on PostgreSQL its BEGIN was never sent, nor is a ROLLBACK.
  EXPECT_THROW(db.write([](store::Conn&) { throw std::runtime_error("before any statement"); }), std::runtime_error);
  EXPECT_THROW(db.write([](store::Conn& c) {
    c.exec("INSERT INTO defer_t (id, v) VALUES (7, 'h')");
    throw std::runtime_error("after one");
  }), std::runtime_error);
  EXPECT_EQ(count(), 2);
  db.read([](store::Conn& c) { c.defer("INSERT INTO defer_t (id, v) VALUES (6, 'g')"); });  // no transaction: at once
  EXPECT_EQ(count(), 3);
  db.write([](store::Conn& c) { c.exec("DROP TABLE defer_t"); });
}

TEST(DeferredWrites, RunAtOnceOnSqliteInOrderAndAFailureUndoesTheWrite) {
  auto db = store::Db::open("sqlite::memory:", 1);
  check_deferred_writes(*db);
}

TEST(Postgres, DeferredWritesGoWithTheNextStatementInOrderAndAFailureUndoesTheWrite) {
  const char* url = std::getenv("HUOYAN_PG_URL");
  if (!url) GTEST_SKIP() << "HUOYAN_PG_URL is not set";
  auto db = open_postgres(url);
  check_deferred_writes(*db);
}

// The copies of a permit's planned end on its workers and machines (migration 0024): written with the rows, and
// following a later change of the permit's window. Undone at the end (the PostgreSQL database is shared).
static void check_parts_follow_window(store::Db& db) {
  app::load_demo(db);
  struct Undo {};
  try {
    db.write([](store::Conn& c) {
      for (const char* table : {"permit_workers", "permit_machines"})
        EXPECT_EQ(c.scalar(std::string("SELECT COUNT(*) FROM ") + table + " x JOIN permits p ON p.id = x.permit_id "
                           "WHERE x.planned_end <> p.planned_end"), 0) << table;
      long long id = c.scalar("SELECT MIN(w.permit_id) FROM permit_workers w JOIN permit_machines m ON m.permit_id = w.permit_id");
      c.exec("UPDATE permits SET planned_end = '2031-01-01T00:00:00Z' WHERE id = ?", {id});
      for (const char* table : {"permit_workers", "permit_machines"}) {
        std::string rows = std::string("SELECT COUNT(*) FROM ") + table + " WHERE permit_id = ?";
        EXPECT_GT(c.scalar(rows, {id}), 0) << table;
        EXPECT_EQ(c.scalar(rows + " AND planned_end = '2031-01-01T00:00:00Z'", {id}), c.scalar(rows, {id})) << table;
      }
      throw Undo{};
    });
  } catch (const Undo&) {
  }
}

TEST(PermitParts, KeepTheirPermitsPlannedEndOnSqlite) {
  auto db = store::Db::open("sqlite::memory:", 1);
  check_parts_follow_window(*db);
}

TEST(Postgres, PermitPartsKeepTheirPermitsPlannedEnd) {
  const char* url = std::getenv("HUOYAN_PG_URL");
  if (!url) GTEST_SKIP() << "HUOYAN_PG_URL is not set";
  auto db = open_postgres(url);
  check_parts_follow_window(*db);
}
