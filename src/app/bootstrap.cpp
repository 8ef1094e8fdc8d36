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
std::string now_iso() { return clock::iso_utc(clock::now()); }

std::string join(const std::vector<std::string_view>& v) {
  std::string s;
  for (auto p : v) s += (s.empty() ? "" : " ") + std::string(p);
  return s;
}

long long add_org(store::Conn& c, long long parent, const std::string& parent_path, const std::string& kind,
                  const std::string& name, const std::string& code, int sort) {
  long long id = c.insert(
      "INSERT INTO org_units (parent_id, kind, name, code, sort, path, created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
      {parent ? store::Value(parent) : store::Value(nullptr), kind, name, code, static_cast<long long>(sort), now_iso()});
  c.exec("UPDATE org_units SET path = ? WHERE id = ?", {parent_path + std::to_string(id) + "/", id});
  return id;
}
}  // namespace

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
      c.insert("INSERT INTO roles (key, name, data_scope, permissions, builtin, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, 1, ?, ?)",
               {std::string(r.key), std::string(r.name), std::string(access::data_scope_key(r.scope)), join(r.permissions),
                now_iso(), now_iso()});
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

std::vector<DemoLogin> load_demo(store::Db& db) {
  bootstrap(db, "金凤镇");
  auto saved = db.read([](store::Conn& c) { return c.text("SELECT value FROM settings WHERE key = 'demo_logins'"); });
  if (saved) {
    std::vector<DemoLogin> logins;
    for (const auto& l : nlohmann::json::parse(*saved)) logins.push_back({l[0], l[1], l[2]});
    return logins;
  }
  std::string hash = hash_password(kDemoPassword);  // one hash for every demo account
  std::vector<DemoLogin> logins;
  db.write([&](store::Conn& c) {
    if (c.scalar("SELECT COUNT(*) FROM users WHERE username <> 'admin'") > 0)
      throw std::runtime_error("database already has users; the demo loads only into a new database");
    long long town = c.scalar("SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    c.exec("UPDATE org_units SET name = '金凤镇', code = '500107104' WHERE id = ?", {town});
    std::string town_path = "/" + std::to_string(town) + "/";

    // The nine posts (岗位) of the 2025 rectification plan; the task force office sits in 安全应急岗.
    const char* departments[] = {"企业服务岗", "商贸发展岗", "乡村振兴岗", "安全应急岗", "规建环保岗",
                                 "民政社事岗", "城市管理岗", "文教体旅岗", "市场监督岗"};
    std::map<std::string, long long> org;
    int sort = 10;
    for (const char* d : departments) {
      org[d] = add_org(c, town, town_path, "department", d, "", sort);
      sort += 10;
    }
    // Villages and communities of 金凤镇 with their statistics-bureau codes.
    const std::pair<const char*, const char*> villages[] = {
        {"龙凤社区", "500107104001"}, {"金凤佳园社区", "500107104002"}, {"新凤社区", "500107104003"},
        {"大盐村", "500107104202"},   {"九凤村", "500107104203"},       {"海兰村", "500107104204"},
        {"白鹤村", "500107104205"},   {"虎峰村", "500107104206"},       {"文昌村", "500107104207"}};
    for (const auto& [name, code] : villages) {
      org[name] = add_org(c, town, town_path, "village", name, code, sort);
      sort += 10;
    }
    for (const char* v : {"龙凤社区", "九凤村"}) {
      std::string path = town_path + std::to_string(org[v]) + "/";
      for (int g = 1; g <= 3; ++g) {
        std::string name = std::string(v) + "第" + (g == 1 ? "一" : g == 2 ? "二" : "三") + "网格";
        org[name] = add_org(c, org[v], path, "grid", name, "", g * 10);
      }
    }
    c.exec("UPDATE users SET must_change_password = 0, password_hash = ?, org_unit_id = ?, name = '周建国' "
           "WHERE username = 'admin'",
           {hash, org["安全应急岗"]});
    logins.push_back({"admin", "周建国", "专班管理员"});

    struct Person {
      const char* username;
      const char* name;
      const char* phone;
      const char* org;
      const char* role;
      bool listed;  // printed as a demo login
    };
    const Person people[] = {
        {"sw_officer", "李晓梅", "13983010001", "商贸发展岗", "officer", true},
        {"wj_officer", "王志强", "13983010002", "文教体旅岗", "officer", true},
        {"qy_officer", "陈丽", "13983010003", "企业服务岗", "officer", false},
        {"xc_officer", "刘洋", "13983010004", "乡村振兴岗", "officer", false},
        {"gj_officer", "赵文斌", "13983010005", "规建环保岗", "officer", false},
        {"ms_officer", "孙静", "13983010006", "民政社事岗", "officer", false},
        {"cg_officer", "吴海", "13983010007", "城市管理岗", "officer", false},
        {"sj_officer", "郑红", "13983010008", "市场监督岗", "officer", false},
        {"sw_officer2", "何平", "13983010009", "商贸发展岗", "officer", false},
        {"grid_longfeng", "张秀英", "13983020001", "龙凤社区", "grid", true},
        {"grid_lf1", "杨帆", "13983020002", "龙凤社区第一网格", "grid", false},
        {"grid_jiufeng", "黄德明", "13983020003", "九凤村", "grid", false},
        {"inspector", "罗勇", "13983030001", "安全应急岗", "inspector", true},
        {"inspector2", "谢芳", "13983030002", "安全应急岗", "inspector", false},
        {"auditor", "钱慧", "13983030003", "安全应急岗", "auditor", true},
        {"venue_mgr", "冯建华", "13983040001", "龙凤社区", "venue_manager", true},
        {"contractor", "邓强", "13983050001", "龙凤社区", "contractor", true},
        {"welder", "唐国庆", "13983060001", "龙凤社区", "welder", true},
        {"welder2", "蒋超", "13983060002", "龙凤社区", "welder", false},
        {"firewatch", "曾小燕", "13983070001", "龙凤社区", "fire_watch", true},
    };
    for (const auto& p : people) {
      long long role = c.scalar("SELECT id FROM roles WHERE key = ?", {std::string(p.role)});
      c.insert("INSERT INTO users (username, phone, name, org_unit_id, role_id, password_hash, must_change_password, "
               "status, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 'active', ?, ?, ?)",
               {std::string(p.username), std::string(p.phone), std::string(p.name), org.at(p.org), role, hash, now_iso(),
                now_iso(), now_iso()});
      if (p.listed) {
        std::string role_name = *c.text("SELECT name FROM roles WHERE key = ?", {std::string(p.role)});
        logins.push_back({p.username, p.name, role_name + "（" + p.org + "）"});
      }
    }
    nlohmann::json saved_logins = nlohmann::json::array();
    for (const auto& l : logins) saved_logins.push_back({l.username, l.name, l.role});
    c.exec("INSERT INTO settings (key, value) VALUES ('demo_logins', ?)", {saved_logins.dump()});
  });
  return logins;
}

}  // namespace huoyan::app
