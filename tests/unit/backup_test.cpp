// app::copy_sqlite_database against a real SQLite file that is written all the while: the copy passes SQLite's
// integrity check and holds one moment of the database (its rows in whole transactions); a copy that fails
// leaves no file behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
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
    std::atomic<bool> stop{false};
    std::atomic<long long> pairs_during{0};
    std::thread writer([&] {
      while (!stop) {
        pair();
        ++pairs_during;
      }
    });
    app::copy_sqlite_database(source, copy);
    stop = true;
    writer.join();
    EXPECT_GT(pairs_during.load(), 0) << "nothing was written during the copy";

    EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
    auto copied = store::Db::open("sqlite:" + copy, 1);
    auto check = copied->read([](store::Conn& c) { return c.text("PRAGMA integrity_check"); });
    EXPECT_EQ(check.value_or(""), "ok");
    long long rows = copied->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    long long live = db->read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM t"); });
    EXPECT_GE(rows, 1000);
    EXPECT_LE(rows, live);
    EXPECT_EQ(rows % 2, 0) << "the copy holds half a transaction";
  }
  std::filesystem::remove_all(dir);
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
