// The shared-mapping VFS (store/sqlite_vfs.h) against a real SQLite file: readers see every commit, and a page
// one connection has read costs another connection no page fault, before or after a commit.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "store/db.h"

using namespace huoyan;

namespace {
long thread_minor_faults() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_minflt;
}

struct Scan {
  long long rows = 0, sum = 0;
  long faults = 0;
};

// Reads every page of t (each row's padding makes them many) on `c`, counting this thread's page faults meanwhile.
Scan scan(store::Conn& c) {
  Scan s;
  long before = thread_minor_faults();
  auto r = c.row("SELECT COUNT(*) AS n, SUM(v) AS s FROM t");
  s.faults = thread_minor_faults() - before;
  s.rows = (*r)["n"].get<long long>();
  s.sum = (*r)["s"].get<long long>();
  return s;
}
}  // namespace

TEST(SharedMapping, ReadersSeeEveryCommitAndShareThePagesOneOfThemRead) {
  auto dir = std::filesystem::temp_directory_path() / ("huoyan_vfs_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    auto db = store::Db::open("sqlite:" + (dir / "t.db").string(), 2);
    db->write([](store::Conn& c) {
      c.script("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, pad TEXT NOT NULL)");
      c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
             "INSERT INTO t (v, pad) SELECT i, printf('%.300c', 'x') FROM n");
    });
    // Into the database file, so the readers' pages come from it (and the mapping), not from the WAL.
    auto checkpoint = [&] { db->read([](store::Conn& c) { c.row("PRAGMA wal_checkpoint(TRUNCATE)"); }); };
    checkpoint();
    const long long n = 50000, sum = n * (n + 1) / 2;

    db->read([&](store::Conn& first) {
      EXPECT_EQ(first.scalar("PRAGMA mmap_size"), 1099511627776LL);  // as Db set it, not capped at SQLite's build limit
      Scan a = scan(first);
      EXPECT_EQ(a.rows, n);
      EXPECT_EQ(a.sum, sum);
      EXPECT_GT(a.faults, 100);  // the first reader meets the pages
      // A second connection, leased while the first is held, finds them mapped already.
      Scan b = db->read([](store::Conn& second) { return scan(second); });
      EXPECT_EQ(b.sum, sum);
      EXPECT_LT(b.faults * 4, a.faults) << "first reader " << a.faults << " faults, second " << b.faults;

      // Another connection commits a change to every row: the first reader sees it, and its pages stay mapped.
      db->write([](store::Conn& c) { c.exec("UPDATE t SET v = v + 1"); });
      checkpoint();
      Scan after = scan(first);
      EXPECT_EQ(after.sum, sum + n);
      EXPECT_LT(after.faults * 4, a.faults) << "first reader " << a.faults << " faults, after a commit " << after.faults;
    });
  }
  std::filesystem::remove_all(dir);
}

namespace {
// Whether another process could take a write lock on the bytes where SQLite's readers hold their shared locks
// (SQLite's lock bytes start at 1 GiB: pending, reserved, then 510 shared bytes). Asked from a child process,
// because a process never sees its own POSIX locks as conflicting.
bool another_process_could_lock_all(const std::string& path) {
  pid_t child = fork();
  if (child == 0) {
    int fd = open(path.c_str(), O_RDWR);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0x40000000 + 2;
    lock.l_len = 510;
    _exit(fd >= 0 && fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_UNLCK ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
}  // namespace

// Closing any descriptor of a file drops every POSIX lock the process holds on it. The mapping's own descriptor
// must not be closed while connections are open, or another process would take the database as unused (and
// checkpoint and reset the WAL under them).
TEST(SharedMapping, OpeningTheFileAgainLeavesTheProcesssLocksInPlace) {
  auto dir = std::filesystem::temp_directory_path() / ("huoyan_vfs_locks_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "t.db").string();
  {
    auto first = store::Db::open("sqlite:" + path, 2);
    first->write([](store::Conn& c) { c.script("CREATE TABLE t (id INTEGER PRIMARY KEY)"); });
    first->read([](store::Conn& c) { c.scalar("SELECT COUNT(*) FROM t"); });
    // Its connections (a writer and two readers) each opened the file: each open must have kept the locks.
    EXPECT_FALSE(another_process_could_lock_all(path)) << "the open database's shared locks were dropped";
    {
      auto second = store::Db::open("sqlite:" + path, 1);
      second->read([](store::Conn& c) { c.scalar("SELECT COUNT(*) FROM t"); });
    }
    EXPECT_FALSE(another_process_could_lock_all(path)) << "a second database on the file dropped the first one's locks";
  }
  std::filesystem::remove_all(dir);
}
