#include "app/users.h"

#include <regex>
#include <set>
#include <sstream>

#include "app/audit.h"
#include "app/auth.h"
#include "app/input.h"
#include "app/personal_data.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

// Reads a record again after writing it, whatever the writer's scope.
const Caller kUnscoped{.scope = access::DataScope::All};

const char* kUserSelect =
    "SELECT u.id, u.username, u.name, u.phone, u.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", "
    "u.role_id AS \"roleId\", r.key AS \"roleKey\", r.name AS \"roleName\", u.status, "
    "u.locked_until AS \"lockedUntil\", u.must_change_password AS \"mustChangePassword\", "
    "u.last_login_at AS \"lastLoginAt\", u.created_at AS \"createdAt\", "
    "CASE WHEN u.totp_enrolled_at IS NULL THEN 0 ELSE 1 END AS \"secondFactorEnrolled\" "
    "FROM users u JOIN org_units o ON o.id = u.org_unit_id JOIN roles r ON r.id = u.role_id";

// Shapes a user row (scoped_user, or kUserSelect's with the phone opened) for a response: types, masking, lock state.
json present_user(json u, const Caller& who) {
  store::as_int(u, {"id", "orgUnitId", "roleId"});
  store::as_bool(u, {"mustChangePassword", "secondFactorEnrolled"});
  if (u["lockedUntil"].is_string() && u["lockedUntil"].get<std::string>() <= now_iso()) u["lockedUntil"] = nullptr;
  if (!who.has("user:write")) u["phone"] = validate::mask_phone(u["phone"].get<std::string>());
  return u;
}

// The user row (its phone opened: personal_data.h) if it exists and is in the caller's data scope, else NOT_FOUND.
json scoped_user(store::Conn& c, const Caller& who, long long id) {
  store::Params params{id};
  std::string cond = store::scope_condition(who, {"u.org_unit_id"}, {"u.id"}, params);
  auto u = c.row(std::string(kUserSelect) + " WHERE u.id = ? AND " + cond, params);
  if (!u) throw not_found();
  personal::open_field(c.db(), *u, "phone");
  return *u;
}

// For audit summaries: no personal data in the log.
json audit_view(const json& u) {
  json v = u;
  if (v.contains("phone") && v["phone"].is_string()) v["phone"] = validate::mask_phone(v["phone"].get<std::string>());
  return v;
}

void check_org_unit_in_scope(store::Conn& c, const Caller& who, long long org_unit_id) {
  store::Params params{org_unit_id};
  std::string cond = store::scope_condition(who, {"o.id"}, {"0"}, params);
  if (!c.row("SELECT o.id FROM org_units o WHERE o.id = ? AND " + cond, params))
    throw bad_request("ORG_UNIT_NOT_FOUND", "所属组织不存在或不在您的数据范围内", "orgUnitId");
}

std::vector<std::string> split_permissions(const std::string& joined) {
  std::istringstream in(joined);
  std::vector<std::string> out;
  for (std::string p; in >> p;) out.push_back(p);
  return out;
}

// "系统管理员、安全管理员": the administrators' duties `permissions` mix, or "" when they hold at most one.
std::string mixed_duties(const std::vector<std::string>& permissions) {
  auto held = access::duties_held(permissions);
  std::string labels;
  if (held.size() > 1)
    for (const auto* d : held) labels += (labels.empty() ? "" : "、") + std::string(d->label);
  return labels;
}

ApiError duties_mixed(const std::string& role_name, const std::string& labels, const std::string& field) {
  return conflict("ROLE_DUTIES_MIXED", "三员分立已开启：角色“" + role_name + "”同时具有" + labels + "的权限", field);
}

// Who may give `role_id` to user `user_id` (0: a new account). Nobody changes their own role. A role that grants
// nothing, any user administrator. Else a holder of role:assign; without it, without 三员分立 (`separation`), only a
// role whose permissions the caller holds itself. A 全部数据 role needs that scope too; under 三员分立 no role mixing duties.
void check_role_assignable(store::Conn& c, const Caller& who, long long role_id, long long user_id, bool separation) {
  auto r = c.row("SELECT name, permissions, data_scope FROM roles WHERE id = ?", {role_id});
  if (!r) throw bad_request("ROLE_NOT_FOUND", "角色不存在", "roleId");
  if (user_id == who.user_id) throw ApiError(403, "ROLE_NOT_ASSIGNABLE", "不能修改本人的角色", "roleId");
  auto permissions = split_permissions((*r)["permissions"].get<std::string>());
  if (std::string mixed = mixed_duties(permissions); separation && !mixed.empty()) throw duties_mixed((*r)["name"].get<std::string>(), mixed, "roleId");
  if (permissions.empty()) return;
  if ((*r)["data_scope"] == "all" && who.scope != access::DataScope::All)
    throw ApiError(403, "ROLE_NOT_ASSIGNABLE", "不能授予超出本人数据范围的角色", "roleId");
  if (who.has("role:assign")) return;
  if (separation)
    throw ApiError(403, "ROLE_NOT_ASSIGNABLE", "三员分立已开启：角色由安全管理员分配，新账号请选“待分配角色”", "roleId");
  for (const auto& p : permissions)
    if (!who.has(p)) throw ApiError(403, "ROLE_NOT_ASSIGNABLE", "不能授予超出本人权限的角色", "roleId");
}

// Whether 三员分立 is on, as this transaction sees it (not the process's copy): a policy change commits either
// before this write's checks or after it.
bool separation_on(store::Conn& c) { return read_security_policy(c).separation_of_duties; }

void check_unique_phone(store::Conn& c, const std::string& phone, long long except_id) {
  if (c.row("SELECT id FROM users WHERE phone_hash = ? AND id <> ?", {personal::lookup(c.db(), phone), except_id}))
    throw conflict("PHONE_TAKEN", "手机号已被其他账号使用", "phone");
}

std::string read_phone(Input& in) {
  std::string phone = in.str("phone", 11, "手机号");
  if (!validate::mobile_phone(phone)) throw bad_request("INVALID_VALUE", "手机号格式不正确", "phone");
  return phone;
}

}  // namespace

json list_users(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + store::scope_condition(who, {"u.org_unit_id"}, {"u.id"}, f.params);
  if (auto v = query_str(q, "q"))
    f.add("(u.username LIKE ? OR u.name LIKE ? OR u.phone_hash = ?)", "%" + *v + "%", "%" + *v + "%", personal::lookup(db, *v));
  if (auto v = query_int(q, "orgUnitId"))
    f.add("u.org_unit_id IN (SELECT id FROM org_units WHERE path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')", *v);
  if (auto v = query_int(q, "roleId")) f.add("u.role_id = ?", *v);
  if (auto v = query_str(q, "status")) {
    if (*v != "active" && *v != "disabled") throw bad_request("INVALID_VALUE", "状态只能是 active 或 disabled", "status");
    f.add("u.status = ?", *v);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kUserSelect, "FROM users u", f, "u.id", p);
    for (auto& u : out["items"]) {
      personal::open_field(db, u, "phone");
      u = present_user(u, who);
    }
    return out;
  });
}

json get_user(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return present_user(scoped_user(c, who, id), who); });
}

json create_user(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  std::string username = in.str("username", 32, "用户名");
  if (!validate::username(username))
    throw bad_request("INVALID_VALUE", "用户名须为 3-32 位小写字母、数字或 _ . -，以字母开头", "username");
  std::string name = in.str("name", 30, "姓名");
  std::string phone = read_phone(in);
  long long org_unit_id = in.integer("orgUnitId", "所属组织");
  long long role_id = in.integer("roleId", "角色");
  std::string password = in.str("password", 128, "初始密码");
  if (auto problem = validate::password_problem(password)) throw bad_request("PASSWORD_WEAK", *problem, "password");
  db.read([&](store::Conn& c) {
    check_org_unit_in_scope(c, who, org_unit_id);
    check_role_assignable(c, who, role_id, 0, separation_on(c));
  });
  std::string hash = hash_password(password);  // slow: outside the write transaction
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    if (c.row("SELECT id FROM users WHERE username = ?", {username})) throw conflict("USERNAME_TAKEN", "用户名已被使用", "username");
    check_unique_phone(c, phone, 0);
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO users (username, phone, phone_hash, name, org_unit_id, role_id, password_hash, must_change_password, "
        "status, password_changed_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'active', ?, ?, ?, ?)",
        {username, personal::seal(db, phone), personal::lookup(db, phone), name, org_unit_id, role_id, hash, now, who.user_id,
         now, now});
    json user = present_user(scoped_user(c, kUnscoped, id), who);
    record(c, who, "user.create", "user", std::to_string(id), nullptr, audit_view(user));
    return user;
  });
}

json update_user(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string name = in.str("name", 30, "姓名");
  std::string phone = read_phone(in);
  long long org_unit_id = in.integer("orgUnitId", "所属组织");
  long long role_id = in.integer("roleId", "角色");
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = scoped_user(c, who, id);
    check_org_unit_in_scope(c, who, org_unit_id);
    bool role_changed = role_id != before["roleId"], separation = role_changed && separation_on(c);
    if (role_changed) check_role_assignable(c, who, role_id, id, separation);
    check_unique_phone(c, phone, id);
    c.exec("UPDATE users SET name = ?, phone = ?, phone_hash = ?, org_unit_id = ?, role_id = ?, updated_at = ? WHERE id = ?",
           {name, personal::seal(db, phone), personal::lookup(db, phone), org_unit_id, role_id, now_iso(), id});
    if (separation) check_separation(c, "roleId");
    json after = scoped_user(c, kUnscoped, id);
    record(c, who, "user.update", "user", std::to_string(id), audit_view(before), audit_view(after));
    return present_user(after, who);
  });
}

json assign_user_role(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  long long role_id = in.integer("roleId", "角色");
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = scoped_user(c, who, id);
    if (role_id == before["roleId"]) return present_user(before, who);
    bool separation = separation_on(c);
    check_role_assignable(c, who, role_id, id, separation);
    c.exec("UPDATE users SET role_id = ?, updated_at = ? WHERE id = ?", {role_id, now_iso(), id});
    if (separation) check_separation(c, "roleId");
    json after = scoped_user(c, kUnscoped, id);
    auto role_of = [](const json& u) { return json{{"roleId", u["roleId"]}, {"roleName", u["roleName"]}}; };
    record(c, who, "user.role_assign", "user", std::to_string(id), role_of(before), role_of(after));
    return present_user(after, who);
  });
}

void check_separation(store::Conn& c, const std::string& field) {
  json roles = c.rows(
      "SELECT r.name, r.permissions, COUNT(*) AS users FROM roles r JOIN users u ON u.role_id = r.id "
      "WHERE u.status = 'active' GROUP BY r.id, r.name, r.permissions ORDER BY r.id");
  std::string mixed;
  std::set<std::string, std::less<>> held;
  for (const auto& r : roles) {
    auto permissions = split_permissions(r["permissions"].get<std::string>());
    if (!mixed_duties(permissions).empty())
      mixed += (mixed.empty() ? "" : "、") + r["name"].get<std::string>() + "（" + std::to_string(store::as_id(r["users"])) + " 人）";
    held.insert(permissions.begin(), permissions.end());
  }
  if (!mixed.empty())
    throw conflict("ROLE_DUTIES_MIXED", "三员分立要求每个角色至多具有一类管理员的权限，以下角色不符且有启用的账号：" + mixed +
                                            "。请先为这些账号改配角色或停用", field);
  std::string missing;
  for (const auto& d : access::duties())
    for (auto p : d.permissions)
      if (!held.count(p))
        for (const auto& info : access::permission_catalogue())
          if (info.key == p) missing += (missing.empty() ? "" : "、") + std::string(info.label) + "（" + std::string(d.label) + "）";
  if (!missing.empty()) throw conflict("DUTY_UNASSIGNED", "三员分立要求每项管理权限都有启用的账号持有，缺少：" + missing, field);
}

json set_user_enabled(store::Db& db, const Caller& who, long long id, bool enabled) {
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = scoped_user(c, who, id);
    if (id == who.user_id && !enabled) throw conflict("CANNOT_DISABLE_SELF", "不能停用自己的账号");
    c.exec("UPDATE users SET status = ?, updated_at = ? WHERE id = ?", {std::string(enabled ? "active" : "disabled"), now_iso(), id});
    if (!enabled) c.exec("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", {now_iso(), id});
    if (separation_on(c)) check_separation(c, "");
    json after = scoped_user(c, who, id);
    record(c, who, enabled ? "user.enable" : "user.disable", "user", std::to_string(id), json{{"status", before["status"]}},
           json{{"status", after["status"]}});
    return present_user(after, who);
  });
}

int run_inactive_accounts(store::Db& db) {
  static const std::string stale =
      "SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE u.status = 'active' "
      "AND ' ' || r.permissions || ' ' NOT LIKE '% user:write %' AND ' ' || r.permissions || ' ' NOT LIKE '% role:assign %' "
      "AND u.created_at < ? AND u.updated_at < ? AND (u.last_login_at IS NULL OR u.last_login_at < ?) AND NOT EXISTS "
      "(SELECT 1 FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.created_at >= ? OR t.last_used_at >= ?))";
  int days = security_policy(db)->inactive_account_days;
  if (days == 0) return 0;
  std::string cutoff = clock::iso_utc(clock::now() - std::chrono::days(days));
  store::Params params(5, cutoff);
  if (db.read([&](store::Conn& c) { return c.rows(stale, params).empty(); })) return 0;  // most rounds: nothing to write
  static const Caller system{.name = "系统", .scope = access::DataScope::All};
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    int disabled = 0;
    for (const auto& u : c.rows(stale, params)) {
      long long id = store::as_id(u["id"]);
      c.exec("UPDATE users SET status = 'disabled', updated_at = ? WHERE id = ?", {now_iso(), id});
      c.exec("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", {now_iso(), id});
      record(c, system, "user.auto_disable", "user", std::to_string(id), json{{"status", "active"}},
             json{{"status", "disabled"}, {"reason", "超过 " + std::to_string(days) + " 天未使用"}});
      ++disabled;
    }
    return disabled;
  });
}

json unlock_user(store::Db& db, const Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = scoped_user(c, who, id);
    c.exec("UPDATE users SET locked_until = NULL, failed_logins = 0, updated_at = ? WHERE id = ?", {now_iso(), id});
    record(c, who, "user.unlock", "user", std::to_string(id), json{{"lockedUntil", before["lockedUntil"]}}, json{{"lockedUntil", nullptr}});
    return present_user(scoped_user(c, who, id), who);
  });
}

json reset_user_password(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string password = in.str("password", 128, "新密码");
  if (auto problem = validate::password_problem(password)) throw bad_request("PASSWORD_WEAK", *problem, "password");
  db.read([&](store::Conn& c) { scoped_user(c, who, id); });
  std::string hash = hash_password(password);
  int remembered = security_policy(db)->password_history;
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    scoped_user(c, who, id);
    std::string now = now_iso();
    remember_password(c, id, remembered);
    c.exec("UPDATE users SET password_hash = ?, must_change_password = 1, password_changed_at = ?, failed_logins = 0, "
           "locked_until = NULL, updated_at = ? WHERE id = ?",
           {hash, now, now, id});
    c.exec("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", {now, id});
    record(c, who, "user.reset_password", "user", std::to_string(id), nullptr, nullptr);
    return present_user(scoped_user(c, who, id), who);
  });
}

json reset_second_factor(store::Db& db, const Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = scoped_user(c, who, id);
    if (!present_user(before, who)["secondFactorEnrolled"].get<bool>())
      throw conflict("SECOND_FACTOR_NOT_ENROLLED", "该用户尚未绑定动态口令");
    std::string now = now_iso();
    c.exec("UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enrolled_at = NULL, totp_last_step = 0, "
           "updated_at = ? WHERE id = ?",
           {now, id});
    c.exec("DELETE FROM login_challenges WHERE user_id = ?", {id});
    c.exec("DELETE FROM recovery_codes WHERE user_id = ?", {id});
    c.exec("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", {now, id});
    record(c, who, "user.second_factor_reset", "user", std::to_string(id), nullptr, nullptr);
    return present_user(scoped_user(c, who, id), who);
  });
}

ConsoleReset reset_password_from_console(store::Db& db, const std::string& username, bool second_factor) {
  long long id = db.read([&](store::Conn& c) { return c.scalar("SELECT COALESCE(MAX(id), 0) FROM users WHERE username = ?", {username}); });
  if (!id) throw std::runtime_error("没有用户名为 " + username + " 的账号");
  Caller console;
  console.username = "console";
  console.name = "服务器命令行";
  console.scope = access::DataScope::All;
  ConsoleReset out{.password = "Hy-" + random_token(9) + "1!"};
  if (second_factor) {
    try {
      reset_second_factor(db, console, id);
      out.second_factor_cleared = true;
    } catch (const ApiError&) {  // not bound: nothing to clear
    }
  }
  reset_user_password(db, console, id, json{{"password", out.password}});
  return out;
}

// ---- organisation units ----

namespace {
const char* kOrgSelect =
    "SELECT o.id, o.parent_id AS \"parentId\", o.kind, o.name, o.code, o.sort, "
    "(SELECT COUNT(*) FROM users u WHERE u.org_unit_id = o.id) AS \"userCount\" FROM org_units o";

json present_org(json o) {
  store::as_int(o, {"id", "parentId", "sort", "userCount"});
  return o;
}

json org_by_id(store::Conn& c, long long id) {
  auto o = c.row(std::string(kOrgSelect) + " WHERE o.id = ?", {id});
  if (!o) throw not_found();
  return present_org(*o);
}

int read_sort(Input& in) { return static_cast<int>(in.opt_integer("sort", "排序", 0, 9999).value_or(0)); }
}  // namespace

json list_org_units(store::Db& db) {
  return db.read([&](store::Conn& c) {
    json items = c.rows(std::string(kOrgSelect) + " ORDER BY o.sort, o.id");
    for (auto& o : items) o = present_org(o);
    return json{{"items", items}};
  });
}

json create_org_unit(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  long long parent_id = in.integer("parentId", "上级组织");
  std::string kind = in.str("kind", 20, "组织类型");
  std::string name = in.str("name", 50, "名称");
  std::string code = in.opt_str("code", 30, "编码").value_or("");
  int sort = read_sort(in);
  if (kind != "department" && kind != "village" && kind != "grid")
    throw bad_request("INVALID_VALUE", "组织类型只能是 岗位(department)、村/社区(village) 或 网格(grid)", "kind");
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    auto parent = c.row("SELECT kind, path FROM org_units WHERE id = ?", {parent_id});
    if (!parent) throw bad_request("ORG_UNIT_NOT_FOUND", "上级组织不存在", "parentId");
    std::string parent_kind = (*parent)["kind"];
    bool fits = (kind == "grid") ? (parent_kind == "village" || parent_kind == "grid")
                                 : (parent_kind == "town" || parent_kind == kind);
    if (!fits) throw bad_request("ORG_KIND_MISMATCH", "该类型的组织不能建在所选上级之下（岗位、村/社区在镇街下，网格在村/社区下）", "parentId");
    if (c.row("SELECT id FROM org_units WHERE parent_id = ? AND name = ?", {parent_id, name}))
      throw conflict("ORG_UNIT_NAME_TAKEN", "同一上级下已有同名组织", "name");
    long long id = c.insert("INSERT INTO org_units (parent_id, kind, name, code, sort, path, created_at) VALUES (?, ?, ?, ?, ?, '', ?)",
                            {parent_id, kind, name, code, static_cast<long long>(sort), now_iso()});
    c.exec("UPDATE org_units SET path = ? WHERE id = ?", {(*parent)["path"].get<std::string>() + std::to_string(id) + "/", id});
    json after = org_by_id(c, id);
    record(c, who, "org.create", "org_unit", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_org_unit(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string name = in.str("name", 50, "名称");
  std::string code = in.opt_str("code", 30, "编码").value_or("");
  int sort = read_sort(in);
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = org_by_id(c, id);
    if (before["parentId"].is_number() &&
        c.row("SELECT id FROM org_units WHERE parent_id = ? AND name = ? AND id <> ?", {before["parentId"].get<long long>(), name, id}))
      throw conflict("ORG_UNIT_NAME_TAKEN", "同一上级下已有同名组织", "name");
    c.exec("UPDATE org_units SET name = ?, code = ?, sort = ? WHERE id = ?", {name, code, static_cast<long long>(sort), id});
    json after = org_by_id(c, id);
    record(c, who, "org.update", "org_unit", std::to_string(id), before, after);
    return after;
  });
}

json delete_org_unit(store::Db& db, const Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = org_by_id(c, id);
    if (before["kind"] == "town") throw conflict("ORG_UNIT_NOT_EMPTY", "镇街根节点不能删除");
    if (c.scalar("SELECT COUNT(*) FROM org_units WHERE parent_id = ?", {id}) > 0 || before["userCount"] != 0)
      throw conflict("ORG_UNIT_NOT_EMPTY", "该组织下还有下级组织或用户，不能删除");
    c.exec("DELETE FROM role_scope_units WHERE org_unit_id = ?", {id});
    c.exec("DELETE FROM org_units WHERE id = ?", {id});
    record(c, who, "org.delete", "org_unit", std::to_string(id), before, nullptr);
    return json{{"ok", true}};
  });
}

// ---- roles ----

namespace {
json present_role(store::Conn& c, json r) {
  store::as_int(r, {"id", "userCount"});
  store::as_bool(r, {"builtin", "secondFactor"});
  std::istringstream perms(r["permissions"].get<std::string>());
  json list = json::array();
  for (std::string p; perms >> p;) list.push_back(p);
  r["permissions"] = list;
  json units = c.rows("SELECT org_unit_id FROM role_scope_units WHERE role_id = ? ORDER BY org_unit_id", {r["id"].get<long long>()});
  store::as_int(units, {"org_unit_id"});
  r["customOrgUnitIds"] = json::array();
  for (const auto& u : units) r["customOrgUnitIds"].push_back(u["org_unit_id"]);
  return r;
}

const char* kRoleSelect =
    "SELECT r.id, r.key, r.name, r.data_scope AS \"dataScope\", r.permissions, r.builtin, r.second_factor AS \"secondFactor\", "
    "(SELECT COUNT(*) FROM users u WHERE u.role_id = r.id) AS \"userCount\" FROM roles r";

json role_by_id(store::Conn& c, long long id) {
  auto r = c.row(std::string(kRoleSelect) + " WHERE r.id = ?", {id});
  if (!r) throw not_found();
  return present_role(c, *r);
}

struct RoleFields {
  std::string name, scope;
  std::vector<std::string> permissions;
  std::vector<long long> units;
  std::optional<bool> second_factor;  // absent: unchanged (new roles: off)
};

RoleFields read_role(Input& in) {
  RoleFields f;
  f.name = in.str("name", 30, "角色名称");
  f.scope = in.str("dataScope", 20, "数据范围");
  access::DataScope parsed;
  if (!access::parse_data_scope(f.scope, parsed)) throw bad_request("INVALID_VALUE", "数据范围无效", "dataScope");
  f.permissions = in.str_list("permissions", 100, 40, "权限");
  for (const auto& p : f.permissions)
    if (!access::is_permission(p)) throw bad_request("INVALID_VALUE", "未知的权限：" + p, "permissions");
  f.units = in.int_list("customOrgUnitIds", 500, "指定部门");
  if (parsed == access::DataScope::Custom && f.units.empty())
    throw bad_request("REQUIRED", "数据范围为指定部门时，请选择部门", "customOrgUnitIds");
  if (parsed != access::DataScope::Custom) f.units.clear();
  f.second_factor = in.opt_bool("secondFactor");
  return f;
}

void save_role_units(store::Conn& c, long long role_id, const std::vector<long long>& units) {
  c.exec("DELETE FROM role_scope_units WHERE role_id = ?", {role_id});
  for (long long u : units) {
    if (!c.row("SELECT id FROM org_units WHERE id = ?", {u})) throw bad_request("ORG_UNIT_NOT_FOUND", "指定部门不存在", "customOrgUnitIds");
    c.exec("INSERT INTO role_scope_units (role_id, org_unit_id) VALUES (?, ?)", {role_id, u});
  }
}

// Under 三员分立 a role holds at most one administrator's duties.
void check_role_duties(const RoleFields& f, bool separation) {
  if (std::string mixed = mixed_duties(f.permissions); separation && !mixed.empty()) throw duties_mixed(f.name, mixed, "permissions");
}

std::string join_permissions(const std::vector<std::string>& perms) {
  std::string s;
  for (const auto& p : perms) s += (s.empty() ? "" : " ") + p;
  return s;
}
}  // namespace

json permissions_catalogue() {
  json items = json::array(), scopes = json::array();
  for (const auto& p : access::permission_catalogue())
    items.push_back({{"key", p.key}, {"label", p.label}, {"group", p.group}});
  for (const auto& s : access::data_scopes()) scopes.push_back({{"key", s.key}, {"label", s.label}});
  json duties = json::array();
  for (const auto& d : access::duties()) duties.push_back({{"label", d.label}, {"permissions", d.permissions}});
  return json{{"items", items}, {"dataScopes", scopes}, {"duties", duties}};
}

json list_roles(store::Db& db) {
  return db.read([&](store::Conn& c) {
    json items = c.rows(std::string(kRoleSelect) + " ORDER BY r.id");
    for (auto& r : items) r = present_role(c, r);
    return json{{"items", items}};
  });
}

json get_role(store::Db& db, long long id) {
  return db.read([&](store::Conn& c) { return role_by_id(c, id); });
}

json create_role(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  std::string key = in.str("key", 32, "角色标识");
  static const std::regex key_re("^[a-z][a-z0-9_]{1,31}$");
  if (!std::regex_match(key, key_re)) throw bad_request("INVALID_VALUE", "角色标识须为小写字母开头的字母、数字或下划线", "key");
  RoleFields f = read_role(in);
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    if (c.row("SELECT id FROM roles WHERE key = ?", {key})) throw conflict("ROLE_KEY_TAKEN", "角色标识已存在", "key");
    check_role_duties(f, separation_on(c));
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO roles (key, name, data_scope, permissions, builtin, second_factor, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
        {key, f.name, f.scope, join_permissions(f.permissions), static_cast<long long>(f.second_factor.value_or(false)), now, now});
    save_role_units(c, id, f.units);
    json after = role_by_id(c, id);
    record(c, who, "role.create", "role", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_role(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  RoleFields f = read_role(in);
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = role_by_id(c, id);
    if (before["key"] == "admin" && (f.scope != "all" || json(f.permissions) != before["permissions"]))
      throw conflict("ROLE_PROTECTED", "专班管理员角色的权限和数据范围不能修改，以免无人可以管理系统");
    bool second_factor = f.second_factor.value_or(before["secondFactor"].get<bool>());
    if (id == who.role_id &&
        (f.scope != before["dataScope"] || json(f.permissions) != before["permissions"] || second_factor != before["secondFactor"]))
      throw conflict("ROLE_PROTECTED", "不能修改本人所属角色的权限、数据范围或登录验证，请由其他管理员修改");
    bool separation = separation_on(c);
    check_role_duties(f, separation);
    c.exec("UPDATE roles SET name = ?, data_scope = ?, permissions = ?, second_factor = ?, updated_at = ? WHERE id = ?",
           {f.name, f.scope, join_permissions(f.permissions), static_cast<long long>(second_factor), now_iso(), id});
    save_role_units(c, id, f.units);
    if (separation) check_separation(c, "permissions");
    json after = role_by_id(c, id);
    record(c, who, "role.update", "role", std::to_string(id), before, after);
    return after;
  });
}

// ---- dictionaries ----

json list_dict_types(store::Db& db) {
  return db.read([&](store::Conn& c) {
    json items = c.rows(
        "SELECT t.id, t.code, t.name, t.description, t.builtin, "
        "(SELECT COUNT(*) FROM dict_items i WHERE i.type_code = t.code) AS \"itemCount\" FROM dict_types t ORDER BY t.id");
    store::as_int(items, {"id", "itemCount"});
    store::as_bool(items, {"builtin"});
    return json{{"items", items}};
  });
}

json create_dict_type(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  std::string code = in.str("code", 40, "字典编码");
  static const std::regex code_re("^[a-z][a-z0-9_]{1,39}$");
  if (!std::regex_match(code, code_re)) throw bad_request("INVALID_VALUE", "字典编码须为小写字母开头的字母、数字或下划线", "code");
  std::string name = in.str("name", 30, "字典名称");
  std::string description = in.opt_str("description", 200, "说明").value_or("");
  return db.write([&](store::Conn& c) {
    if (c.row("SELECT id FROM dict_types WHERE code = ?", {code})) throw conflict("DICT_TYPE_TAKEN", "字典编码已存在", "code");
    long long id = c.insert("INSERT INTO dict_types (code, name, description, builtin, created_at) VALUES (?, ?, ?, 0, ?)",
                            {code, name, description, now_iso()});
    json after = {{"id", id}, {"code", code}, {"name", name}, {"description", description}, {"builtin", false}, {"itemCount", 0}};
    record(c, who, "dict.type_create", "dict_type", code, nullptr, after);
    return after;
  });
}

namespace {
const char* kItemSelect = "SELECT id, type_code AS \"typeCode\", value, label, sort, enabled FROM dict_items";
json present_items(json items) {
  store::as_int(items, {"id", "sort"});
  store::as_bool(items, {"enabled"});
  return items;
}
}  // namespace

json list_dict_items(store::Db& db, const std::string& type_code) {
  return db.read([&](store::Conn& c) {
    if (!c.row("SELECT id FROM dict_types WHERE code = ?", {type_code})) throw not_found();
    return json{{"items", present_items(c.rows(std::string(kItemSelect) + " WHERE type_code = ? ORDER BY sort, id", {type_code}))}};
  });
}

json create_dict_item(store::Db& db, const Caller& who, const std::string& type_code, const json& body) {
  Input in(body);
  std::string value = in.str("value", 40, "字典值");
  static const std::regex value_re("^[A-Za-z0-9_-]{1,40}$");
  if (!std::regex_match(value, value_re)) throw bad_request("INVALID_VALUE", "字典值只能包含字母、数字、下划线或连字符", "value");
  std::string label = in.str("label", 50, "显示名称");
  auto sort_given = in.opt_integer("sort", "排序", 0, 9999);
  return db.write([&](store::Conn& c) {
    if (!c.row("SELECT id FROM dict_types WHERE code = ?", {type_code})) throw not_found();
    // Without a sort value a new item goes to the end of the list.
    long long sort = sort_given ? *sort_given
                                : std::min(9999LL, c.scalar("SELECT COALESCE(MAX(sort), 0) FROM dict_items WHERE type_code = ?", {type_code}) + 10);
    if (c.row("SELECT id FROM dict_items WHERE type_code = ? AND value = ?", {type_code, value}))
      throw conflict("DICT_VALUE_TAKEN", "该字典中已有相同的字典值", "value");
    long long id = c.insert("INSERT INTO dict_items (type_code, value, label, sort, enabled) VALUES (?, ?, ?, ?, 1)",
                            {type_code, value, label, sort});
    c.changed(store::Topic::Rules);  // the dictionaries' labels
    json after = present_items(c.rows(std::string(kItemSelect) + " WHERE id = ?", {id}))[0];
    record(c, who, "dict.item_create", "dict_item", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_dict_item(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string label = in.str("label", 50, "显示名称");
  long long sort = in.integer("sort", "排序", 0, 9999);
  auto enabled = in.opt_bool("enabled");
  if (!enabled) throw bad_request("REQUIRED", "请选择是否启用", "enabled");
  return db.write([&](store::Conn& c) {
    json found = c.rows(std::string(kItemSelect) + " WHERE id = ?", {id});
    if (found.empty()) throw not_found();
    json before = present_items(found)[0];
    c.exec("UPDATE dict_items SET label = ?, sort = ?, enabled = ? WHERE id = ?", {label, sort, static_cast<long long>(*enabled), id});
    c.changed(store::Topic::Rules);  // the dictionaries' labels
    json after = present_items(c.rows(std::string(kItemSelect) + " WHERE id = ?", {id}))[0];
    record(c, who, "dict.item_update", "dict_item", std::to_string(id), before, after);
    return after;
  });
}

// ---- API tokens ----

namespace {
const char* kTokenSelect =
    "SELECT t.id, t.name, t.user_id AS \"userId\", u.username, t.prefix, t.created_at AS \"createdAt\", "
    "t.last_used_at AS \"lastUsedAt\", t.revoked_at AS \"revokedAt\" FROM api_tokens t JOIN users u ON u.id = t.user_id";
json token_by_id(store::Conn& c, long long id) {
  json rows = c.rows(std::string(kTokenSelect) + " WHERE t.id = ?", {id});
  if (rows.empty()) throw not_found();
  store::as_int(rows, {"id", "userId"});
  return rows[0];
}
}  // namespace

json list_api_tokens(store::Db& db) {
  return db.read([&](store::Conn& c) {
    json items = c.rows(std::string(kTokenSelect) + " ORDER BY t.id DESC");
    store::as_int(items, {"id", "userId"});
    return json{{"items", items}};
  });
}

json create_api_token(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  std::string name = in.str("name", 50, "令牌名称");
  long long user_id = in.integer("userId", "令牌代表的用户");
  std::string token = "hy_" + random_token(32);
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    store::Params params{user_id};
    auto user = c.row("SELECT r.permissions FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ? AND u.status = 'active' AND " +
                          store::scope_condition(who, {"u.org_unit_id"}, {"u.id"}, params),
                      params);
    if (!user) throw bad_request("USER_NOT_FOUND", "令牌代表的用户不存在或已停用", "userId");
    // A token acts as its user: under 三员分立 one for an administrator would hand that duty to whoever holds it.
    if (separation_on(c) && !access::duties_held(split_permissions((*user)["permissions"].get<std::string>())).empty())
      throw ApiError(403, "TOKEN_USER_NOT_ALLOWED", "三员分立已开启：接口令牌只能代表业务账号，不能代表管理员账号", "userId");
    long long id = c.insert(
        "INSERT INTO api_tokens (name, token_hash, prefix, user_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {name, sha256_hex(token), token.substr(0, 9), user_id, who.user_id, now_iso()});
    json after = token_by_id(c, id);
    record(c, who, "token.create", "api_token", std::to_string(id), nullptr, after);
    after["token"] = token;
    return after;
  });
}

json revoke_api_token(store::Db& db, const Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Access);
    json before = token_by_id(c, id);
    if (before["revokedAt"].is_null()) c.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", {now_iso(), id});
    json after = token_by_id(c, id);
    record(c, who, "token.revoke", "api_token", std::to_string(id), before, after);
    return after;
  });
}

}  // namespace huoyan::app
