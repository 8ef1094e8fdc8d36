#include "store/sqlite_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace huoyan::store {
namespace {

using FileId = std::pair<dev_t, ino_t>;

// One database file's mapping, shared by every connection that has the file open. A mapping is never moved or
// shrunk while the file is open, so a page handed out stays valid however long SQLite holds it: when a read
// needs more than the mapping covers, a larger one is added and the older ones stay until the last close.
struct SharedFile {
  FileId id;  // the registry's key
  int fd = -1;  // our own read-only descriptor, for the mapping and the size
  int opens = 0;  // guarded by the registry's mutex
  std::mutex grow;
  std::vector<std::pair<char*, std::int64_t>> mappings;  // all made so far, newest last (guarded by grow)
  std::atomic<char*> base{nullptr};  // the newest mapping
  std::atomic<std::int64_t> mapped{0};  // its length; past the file's end it reads nothing until the file grows
  std::atomic<std::int64_t> size{0};  // the file's length when last looked at
  std::atomic<std::int64_t> next_look{0};  // steady clock: when a read past `size` may look at the file again

  ~SharedFile() {
    for (auto [p, n] : mappings) munmap(p, static_cast<size_t>(n));
    if (fd >= 0) close(fd);
  }

  // True when [0, end) lies in the file and the mapping, after looking again at the file if needed. The file is
  // looked at no more than every 100 ms: a writer asks for the pages it is appending, past the file's end, many
  // times a second (they are in its own cache), and a page the mapping does not serve is read with xRead.
  bool covers(std::int64_t end) {
    if (end <= size.load(std::memory_order_acquire) && end <= mapped.load(std::memory_order_acquire)) return true;
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    if (end > size.load(std::memory_order_acquire) && now < next_look.load(std::memory_order_relaxed)) return false;
    std::lock_guard lock(grow);
    struct stat st {};
    if (fstat(fd, &st) != 0) return false;
    size.store(st.st_size, std::memory_order_release);
    next_look.store(now + std::chrono::nanoseconds(std::chrono::milliseconds(100)).count(), std::memory_order_relaxed);
    if (end > st.st_size) return false;
    if (end <= mapped.load(std::memory_order_relaxed)) return true;
    // Address space only: twice what is needed now, so a growing database rarely maps again.
    std::int64_t length = std::max<std::int64_t>(2 * end, std::int64_t{1} << 30);
    void* p = mmap(nullptr, static_cast<size_t>(length), PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return false;
    mappings.emplace_back(static_cast<char*>(p), length);
    base.store(static_cast<char*>(p), std::memory_order_release);
    mapped.store(length, std::memory_order_release);
    return true;
  }
};

// By device and inode, not by name: a file replaced under the same name (a restore) gets a mapping of its own.
std::mutex registry_mutex;
std::map<FileId, std::unique_ptr<SharedFile>>& registry() {
  static std::map<FileId, std::unique_ptr<SharedFile>> files;
  return files;
}

// Opens a descriptor only for a file not yet in the registry, and closes it only when the file's last connection
// has closed: closing any descriptor of a file drops every POSIX lock the process holds on it, and SQLite's
// locks are such locks (another process would then take the database as unused, checkpoint and reset its WAL).
SharedFile* acquire(const char* path) {
  struct stat st {};
  if (stat(path, &st) != 0) return nullptr;
  std::lock_guard lock(registry_mutex);
  FileId id{st.st_dev, st.st_ino};
  auto& entry = registry()[id];
  if (!entry) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat opened {};
    if (fd < 0 || fstat(fd, &opened) != 0 || opened.st_dev != st.st_dev || opened.st_ino != st.st_ino) {
      // Replaced between the two looks (or unreadable): this connection reads without the mapping. A
      // descriptor of a file just replaced is not the one SQLite has locked, so closing it is safe.
      if (fd >= 0) close(fd);
      registry().erase(id);
      return nullptr;
    }
    entry = std::make_unique<SharedFile>();
    entry->id = id;
    entry->fd = fd;
  }
  entry->opens++;
  return entry.get();
}

void release(SharedFile* file) {
  std::lock_guard lock(registry_mutex);
  if (--file->opens == 0) registry().erase(FileId(file->id));  // a copy: the key goes with the entry
}

// SQLite's own default VFS, which does everything but the mapping. Its files (the unix VFS's) have methods of
// version 3, so every method forwarded below exists.
sqlite3_vfs* root = nullptr;

// Our file: the root VFS's file follows it in the same allocation (szOsFile covers both).
struct File {
  sqlite3_file base;
  SharedFile* shared;  // null for journals, WAL, temporary files and when the file could not be opened again
  std::int64_t limit;  // PRAGMA mmap_size: no page at or past it comes from the mapping
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + kRealOffset); }
  static constexpr size_t kRealOffset = (sizeof(sqlite3_file) + 2 * sizeof(void*) + 15) & ~size_t{15};
};
static_assert(sizeof(File) <= File::kRealOffset);

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real(); }
const sqlite3_io_methods* m(sqlite3_file* f) { return real(f)->pMethods; }

int x_close(sqlite3_file* f) {
  File* file = reinterpret_cast<File*>(f);
  int rc = m(f)->xClose(real(f));
  if (file->shared) release(file->shared);
  file->shared = nullptr;
  return rc;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  int rc = m(f)->xTruncate(real(f), size);
  // Pages past the new end must not come from the mapping (they would fault with SIGBUS); the next read past
  // it looks at the file again.
  if (SharedFile* s = reinterpret_cast<File*>(f)->shared) {
    std::lock_guard lock(s->grow);
    if (s->size.load() > size) s->size.store(size);
  }
  return rc;
}

// The mapping is this VFS's alone: the root's file is never told of mmap_size, or it would map the file for its
// connection as well (it does so on a size hint, before a checkpoint extends the file).
int x_file_control(sqlite3_file* f, int op, void* arg) {
  if (op == SQLITE_FCNTL_MMAP_SIZE) {
    auto* value = static_cast<sqlite3_int64*>(arg);
    File* file = reinterpret_cast<File*>(f);
    sqlite3_int64 previous = file->limit;
    if (*value >= 0) file->limit = *value;  // a negative value only asks
    *value = previous;
    return SQLITE_OK;
  }
  return m(f)->xFileControl(real(f), op, arg);
}

int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  File* file = reinterpret_cast<File*>(f);
  *out = nullptr;  // SQLite then reads the page with xRead
  SharedFile* s = file->shared;
  std::int64_t end = offset + amount;
  if (!s || end > file->limit || !s->covers(end)) return SQLITE_OK;
  *out = s->base.load(std::memory_order_acquire) + offset;
  return SQLITE_OK;
}

// The mapping outlives every page handed out, so there is nothing to give back, and SQLite's request to drop
// the whole mapping (when another connection has committed) is what this VFS exists to ignore.
int x_unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods methods = {
    3,
    x_close,
    [](sqlite3_file* f, void* buf, int n, sqlite3_int64 off) { return m(f)->xRead(real(f), buf, n, off); },
    [](sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) { return m(f)->xWrite(real(f), buf, n, off); },
    x_truncate,
    [](sqlite3_file* f, int flags) { return m(f)->xSync(real(f), flags); },
    [](sqlite3_file* f, sqlite3_int64* size) { return m(f)->xFileSize(real(f), size); },
    [](sqlite3_file* f, int level) { return m(f)->xLock(real(f), level); },
    [](sqlite3_file* f, int level) { return m(f)->xUnlock(real(f), level); },
    [](sqlite3_file* f, int* out) { return m(f)->xCheckReservedLock(real(f), out); },
    x_file_control,
    [](sqlite3_file* f) { return m(f)->xSectorSize(real(f)); },
    [](sqlite3_file* f) { return m(f)->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
      return m(f)->xShmMap(real(f), page, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) { return m(f)->xShmLock(real(f), offset, n, flags); },
    [](sqlite3_file* f) { m(f)->xShmBarrier(real(f)); },
    [](sqlite3_file* f, int remove) { return m(f)->xShmUnmap(real(f), remove); },
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = reinterpret_cast<File*>(f);
  file->shared = nullptr;
  file->limit = 0;
  int rc = root->xOpen(root, name, file->real(), flags, out_flags);
  if (rc != SQLITE_OK) {
    f->pMethods = nullptr;  // SQLite closes only a file whose open succeeded
    return rc;
  }
  if (name && (flags & SQLITE_OPEN_MAIN_DB)) file->shared = acquire(name);
  f->pMethods = &methods;
  return SQLITE_OK;
}

sqlite3_vfs vfs;

}  // namespace

void install_shared_map_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    root = sqlite3_vfs_find(nullptr);
    vfs = *root;
    vfs.szOsFile = static_cast<int>(File::kRealOffset) + root->szOsFile;
    vfs.zName = "huoyan-shared-map";
    vfs.pAppData = nullptr;
    vfs.xOpen = x_open;
    vfs.xDelete = [](sqlite3_vfs*, const char* name, int sync) { return root->xDelete(root, name, sync); };
    vfs.xAccess = [](sqlite3_vfs*, const char* name, int flags, int* out) {
      return root->xAccess(root, name, flags, out);
    };
    vfs.xFullPathname = [](sqlite3_vfs*, const char* name, int n, char* out) {
      return root->xFullPathname(root, name, n, out);
    };
    sqlite3_vfs_register(&vfs, 1);
  });
}

}  // namespace huoyan::store
