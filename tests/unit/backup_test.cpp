// app::copy_sqlite_database against a real SQLite file that is written all the while: the copy ends while the writes
// go on, passes SQLite's integrity check, holds one moment of the database (its rows in whole transactions) and
// is readable by its owner only; a copy that fails leaves no file behind. And the PostgreSQL URL given to pg_dump.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/backups.h"
#include "store/db.h"

using namespace huoyan;

TEST(Backup, CopiesOneMomentOfADatabaseThatIsWrittenMeanwhile) {
  auto dir = std::filesystem::temp_directory_path() / ("huoyan_backup_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string source = (dir / "live.db").string(), copy = (dir / "copy.db").string();
  {
    auto db = store::Db::open("sqlite:" + source, 2);
    // Two rows per transaction, each a few pages: a copy of a torn moment would hold an odd count.
    db->write([](store::Conn& c) { c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)"); });
    auto pair = [&] {
      db->write([](store::Conn& c) {
        for (int i = 0; i < 2; ++i) c.exec("INSERT INTO t (pad) VALUES (?)", {std::string(6000, 'x')});
      });
    };
    for (int i = 0; i < 500; ++i) pair();
    // Writes go on for up to 5 s. The copy takes a few pages at a time, so that writes land between its steps: one
    // that started over after each write would only end once they stop.
    std::atomic<bool> stop{false}, writing{true};
    std::atomic<long long> pairs_during{0};
    std::thread writer([&] {
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (!stop && std::chrono::steady_clock::now() < until) {
        pair();
        ++pairs_during;
      }
      writing = false;
    });
    nlohmann::json counts;
    bool ended_while_writing = false;
    try {
      counts = app::copy_sqlite_database(source, copy, 8);
      ended_while_writing = writing;
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
    stop = true;
    writer.join();
    EXPECT_GT(pairs_during.load(), 0) << "nothing was written during the copy";
    EXPECT_TRUE(ended_while_writing) << "the copy only ended once the writes stopped";

    EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
    EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));
    auto perms = std::filesystem::status(copy).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all), std::filesystem::perms::none)
        << "a backup others can read";
    auto copied = store::Db::open("sqlite:" + copy, 1);
    auto check = copied->read([](store::Conn& c) { return c.text("PRAGMA integrity_check"); });
    EXPECT_EQ(check.value_or(""), "ok");
    long long rows = copied->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    long long live = db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    EXPECT_GE(rows, 1000);
    EXPECT_LE(rows, live);
    EXPECT_EQ(rows % 2, 0) << "the copy holds half a transaction";
    EXPECT_EQ(counts, (nlohmann::json{{"schemaVersion", 0}})) << "a table this database does not have was counted";
  }
  std::filesystem::remove_all(dir);
}

TEST(Backup, PgDumpGetsThePasswordApartFromTheUrl) {
  auto t = app::pg_dump_target("postgresql://huoyan:p%40ss%3Aw0rd@db.example:5432/huoyan?sslmode=require");
  EXPECT_EQ(t.url, "postgresql://huoyan@db.example:5432/huoyan?sslmode=require");
  EXPECT_EQ(t.password.value_or(""), "p@ss:w0rd");
  t = app::pg_dump_target("postgresql://postgres@127.0.0.1:41139/huoyan");
  EXPECT_EQ(t.url, "postgresql://postgres@127.0.0.1:41139/huoyan");
  EXPECT_FALSE(t.password);
  // An @ after the host is not the userinfo's.
  t = app::pg_dump_target("postgresql://db:5432/huoyan?application_name=a@b");
  EXPECT_EQ(t.url, "postgresql://db:5432/huoyan?application_name=a@b");
  EXPECT_FALSE(t.password);
  // A password given as a parameter is moved too, and the other parameters stay.
  t = app::pg_dump_target("postgresql://u@h/d?sslmode=require&password=s%20x&connect_timeout=5");
  EXPECT_EQ(t.url, "postgresql://u@h/d?sslmode=require&connect_timeout=5");
  EXPECT_EQ(t.password.value_or(""), "s x");
  t = app::pg_dump_target("postgresql://h/d?password=x");
  EXPECT_EQ(t.url, "postgresql://h/d");
  EXPECT_EQ(t.password.value_or(""), "x");
  t = app::pg_dump_target("postgres://u:x@[::1]/d");
  EXPECT_EQ(t.url, "postgres://u@[::1]/d");
  EXPECT_EQ(t.password.value_or(""), "x");
}

TEST(Backup, ACopyThatCannotBeWrittenFailsAndLeavesNothing) {
  auto dir = std::filesystem::temp_directory_path() / ("huoyan_backup_fail_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string source = (dir / "live.db").string();
  {
    auto db = store::Db::open("sqlite:" + source, 1);
    db->write([](store::Conn& c) { c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)"); });
  }
  std::string target = (dir / "no-such-dir" / "copy.db").string();
  EXPECT_THROW(app::copy_sqlite_database(source, target), std::exception);
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_THROW(app::copy_sqlite_database((dir / "missing.db").string(), (dir / "copy.db").string()), std::exception);
  EXPECT_FALSE(std::filesystem::exists(dir / "copy.db"));
  std::filesystem::remove_all(dir);
}
