#include "app/bootstrap.h"

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/auth.h"
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

}  // namespace

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
      c.insert("INSERT INTO users (username, phone, name, org_unit_id, role_id, password_hash, must_change_password, "
               "status, password_changed_at, created_at, updated_at) VALUES ('admin', '13800000000', '系统管理员', ?, ?, ?, 1, "
               "'active', ?, ?, ?)",
               {town, admin_role, admin_hash, now_iso(), now_iso(), now_iso()});
      result.initial_admin_password = admin_password;
    }
  });
  return result;
}

}  // namespace huoyan::app
