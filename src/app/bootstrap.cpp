#include "app/bootstrap.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "app/auth.h"
#include "app/personal_data.h"
#include "domain/access.h"
#include "domain/clock.h"
#include "store/migrations.h"

namespace huoyan::app {

namespace {
using clock::now_iso;

std::string join(const std::vector<std::string_view>& v) {
  std::string s;
  for (auto p : v) s += (s.empty() ? "" : " ") + std::string(p);
  return s;
}

// The key in `path`, or a new one written there (readable by its owner only) when may_create and there is no
// file. Two processes starting on a new database at once: one creates the file, the other reads it.
field_cipher::Key read_or_create_key_file(const std::string& path, bool may_create) {
  if (!std::filesystem::exists(path)) {
    if (!may_create)
      throw std::runtime_error("找不到密钥文件 " + path + "：数据库中的加密字段要用它解密。请从备份中恢复该文件，或用 --key-file 指明其位置");
    if (auto dir = std::filesystem::path(path).parent_path(); !dir.empty()) std::filesystem::create_directories(dir);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      auto key = field_cipher::Key::generate();
      std::string text = key.hex() + "\n";
      bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) throw std::runtime_error("无法写入密钥文件 " + path);
      spdlog::info("created the field key file {} (keep a copy apart from the database backups)", path);
      return key;
    }
    if (errno != EEXIST) throw std::runtime_error("无法创建密钥文件 " + path + "：" + std::strerror(errno));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077))
    spdlog::warn("the field key file {} can be read by other users of this machine (chmod 600)", path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto key = field_cipher::Key::from_hex(text.str());
  if (!in || !key) throw std::runtime_error("密钥文件 " + path + " 无法读取或格式不对（应为 64 位十六进制数）");
  return *key;
}

}  // namespace

void load_field_key(store::Db& db) {
  auto stored_check = [&] {
    return db.read([](store::Conn& c) { return c.text("SELECT value FROM settings WHERE key = 'field_key_check'"); });
  };
  auto check = stored_check();
  // An in-memory database keeps the key it was given first (bootstrap may run more than once on it).
  auto key = !db.key_file().empty() ? read_or_create_key_file(db.key_file(), !check)
             : db.has_field_key()   ? db.field_key()
                                    : field_cipher::Key::generate();
  if (!check) {
    db.write([&](store::Conn& c) {
      c.exec("INSERT INTO settings (key, value) VALUES ('field_key_check', ?) ON CONFLICT DO NOTHING", {key.check_value()});
    });
    check = stored_check();
  }
  if (*check != key.check_value())
    throw std::runtime_error("密钥文件 " + db.key_file() + " 与数据库不匹配（数据库中的加密字段是用另一个密钥加密的），请使用该数据库原来的密钥文件");
  db.set_field_key(key);
}

long long add_org(store::Conn& c, long long parent, const std::string& parent_path, const std::string& kind,
                  const std::string& name, const std::string& code, int sort) {
  long long id = c.insert(
      "INSERT INTO org_units (parent_id, kind, name, code, sort, path, created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
      {parent ? store::Value(parent) : store::Value(nullptr), kind, name, code, static_cast<long long>(sort), now_iso()});
  c.exec("UPDATE org_units SET path = ? WHERE id = ?", {parent_path + std::to_string(id) + "/", id});
  return id;
}

BootstrapResult bootstrap(store::Db& db, const std::string& town_name) {
  BootstrapResult result;
  result.migrations_applied = store::migrate(db);
  load_field_key(db);
  seal_second_factor_secrets(db);
  personal::seal_stored_in_clear(db);
  std::string admin_password;
  bool need_admin = db.read([](store::Conn& c) { return c.scalar("SELECT COUNT(*) FROM users") == 0; });
  if (need_admin) {
    const char* env = std::getenv("HUOYAN_ADMIN_PASSWORD");
    admin_password = env && *env ? env : "Hy-" + random_token(9) + "1!";
  }
  std::string admin_hash = need_admin ? hash_password(admin_password) : "";
  db.write([&](store::Conn& c) {
    for (const auto& r : access::builtin_roles()) {
      if (c.row("SELECT id FROM roles WHERE key = ?", {std::string(r.key)})) continue;
      c.insert("INSERT INTO roles (key, name, data_scope, permissions, builtin, second_factor, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
               {std::string(r.key), std::string(r.name), std::string(access::data_scope_key(r.scope)), join(r.permissions),
                static_cast<long long>(r.second_factor), now_iso(), now_iso()});
    }
    long long town = c.scalar("SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    if (!town) town = add_org(c, 0, "/", "town", town_name, "", 0);
    if (need_admin && c.scalar("SELECT COUNT(*) FROM users") == 0) {
      long long admin_role = c.scalar("SELECT id FROM roles WHERE key = 'admin'");
      c.insert("INSERT INTO users (username, phone, phone_hash, name, org_unit_id, role_id, password_hash, must_change_password, "
               "status, password_changed_at, created_at, updated_at) VALUES ('admin', ?, ?, '系统管理员', ?, ?, ?, 1, 'active', ?, ?, ?)",
               {personal::seal(db, "13800000000"), personal::lookup(db, "13800000000"), town, admin_role, admin_hash, now_iso(),
                now_iso(), now_iso()});
      result.initial_admin_password = admin_password;
    }
  });
  return result;
}

}  // namespace huoyan::app
