#include "app/auth.h"
#include "app/audit.h"
#include "app/backups.h"
#include "app/users.h"
#include "http/handlers/handlers.h"

namespace huoyan::http {

namespace {
using F = FieldType;
Reply ok(const json& j) { return Reply::json_body(j); }
Reply created(const json& j) { return Reply::json_body(j, 201); }

// 等保 安全审计: searching the audit or login log is itself audited (the auditor's work too), once per search: its
// first page, not the pages that follow.
Reply recorded_search(Context& c, const json& answer, const char* action, const char* target_type) {
  const auto& q = c.req.query;
  bool first_page = q.count("cursor") ? q.at("cursor") == "first" : !q.count("page") || q.at("page") == "1";
  if (first_page) app::record_read(c.db, c.caller(), action, target_type, q);
  return ok(answer);
}
}  // namespace

void add_admin_routes(std::vector<Route>& out) {
  const std::vector<Field> user_fields = {{"name", F::String}, {"phone", F::String}, {"orgUnitId", F::Integer}, {"roleId", F::Integer}};
  std::vector<Field> new_user_fields = user_fields;
  new_user_fields.push_back({"username", F::String});
  new_user_fields.push_back({"password", F::String});

  out.push_back({"GET", "/api/users", Guard::Permission, "user:read", {},
                 [](Context& c) { return ok(app::list_users(c.db, c.caller(), c.req.query)); }, false, "用户列表"});
  out.push_back({"GET", "/api/users/:id", Guard::Permission, "user:read", {},
                 [](Context& c) { return ok(app::get_user(c.db, c.caller(), c.req.id())); }, false, "用户详情"});
  out.push_back({"POST", "/api/users", Guard::Permission, "user:write", new_user_fields,
                 [](Context& c) { return created(app::create_user(c.db, c.caller(), c.body)); }, false, "新增用户"});
  out.push_back({"PUT", "/api/users/:id", Guard::Permission, "user:write", user_fields,
                 [](Context& c) { return ok(app::update_user(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改用户"});
  out.push_back({"PUT", "/api/users/:id/role", Guard::Permission, "role:assign", {{"roleId", F::Integer}},
                 [](Context& c) { return ok(app::assign_user_role(c.db, c.caller(), c.req.id(), c.body)); }, false, "分配角色"});
  out.push_back({"POST", "/api/users/:id/disable", Guard::Permission, "user:write", {},
                 [](Context& c) { return ok(app::set_user_enabled(c.db, c.caller(), c.req.id(), false)); }, false, "停用用户"});
  out.push_back({"POST", "/api/users/:id/enable", Guard::Permission, "user:write", {},
                 [](Context& c) { return ok(app::set_user_enabled(c.db, c.caller(), c.req.id(), true)); }, false, "启用用户"});
  out.push_back({"POST", "/api/users/:id/unlock", Guard::Permission, "user:unlock", {},
                 [](Context& c) { return ok(app::unlock_user(c.db, c.caller(), c.req.id())); }, false, "解锁用户"});
  out.push_back({"POST", "/api/users/:id/reset-password", Guard::Permission, "user:write", {{"password", F::String}},
                 [](Context& c) { return ok(app::reset_user_password(c.db, c.caller(), c.req.id(), c.body)); }, false, "重置密码"});
  out.push_back({"DELETE", "/api/users/:id/second-factor", Guard::Permission, "user:write", {},
                 [](Context& c) { return ok(app::reset_second_factor(c.db, c.caller(), c.req.id())); }, false,
                 "重置动态口令（换手机或遗失验证器）"});

  const std::vector<Field> org_fields = {{"name", F::String}, {"code", F::String}, {"sort", F::Integer}};
  std::vector<Field> new_org_fields = org_fields;
  new_org_fields.push_back({"parentId", F::Integer});
  new_org_fields.push_back({"kind", F::String});
  out.push_back({"GET", "/api/org-units", Guard::Permission, "org:read", {},
                 [](Context& c) { return ok(app::list_org_units(c.db)); }, false, "组织机构列表"});
  out.push_back({"POST", "/api/org-units", Guard::Permission, "org:write", new_org_fields,
                 [](Context& c) { return created(app::create_org_unit(c.db, c.caller(), c.body)); }, false, "新增组织"});
  out.push_back({"PUT", "/api/org-units/:id", Guard::Permission, "org:write", org_fields,
                 [](Context& c) { return ok(app::update_org_unit(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改组织"});
  out.push_back({"DELETE", "/api/org-units/:id", Guard::Permission, "org:write", {},
                 [](Context& c) { return ok(app::delete_org_unit(c.db, c.caller(), c.req.id())); }, false, "删除组织"});

  out.push_back({"GET", "/api/security-policy", Guard::Session, "", {},
                 [](Context& c) { return ok(app::get_security_policy(c.db)); }, false, "安全策略（登录锁定、密码有效期等）"});
  out.push_back({"PUT", "/api/security-policy", Guard::Permission, "security:write",
                 {{"maxFailedLogins", F::Integer}, {"lockMinutes", F::Integer}, {"idleMinutes", F::Integer},
                  {"passwordMaxAgeDays", F::Integer}, {"passwordHistory", F::Integer}, {"inactiveAccountDays", F::Integer},
                  {"storageAlertPercent", F::Integer}, {"adminNetworks", F::StringList}, {"separationOfDuties", F::Boolean}},
                 [](Context& c) { return ok(app::update_security_policy(c.db, c.caller(), c.body)); }, false, "修改安全策略"});
  out.push_back({"GET", "/api/permissions", Guard::Session, "", {},
                 [](Context&) { return ok(app::permissions_catalogue()); }, false, "权限与数据范围目录"});
  const std::vector<Field> role_fields = {{"name", F::String}, {"dataScope", F::String}, {"permissions", F::StringList},
                                          {"customOrgUnitIds", F::IntList}, {"secondFactor", F::Boolean}};
  std::vector<Field> new_role_fields = role_fields;
  new_role_fields.push_back({"key", F::String});
  out.push_back({"GET", "/api/roles", Guard::Permission, "role:read", {},
                 [](Context& c) { return ok(app::list_roles(c.db)); }, false, "角色列表"});
  out.push_back({"GET", "/api/roles/:id", Guard::Permission, "role:read", {},
                 [](Context& c) { return ok(app::get_role(c.db, c.req.id())); }, false, "角色详情"});
  out.push_back({"POST", "/api/roles", Guard::Permission, "role:write", new_role_fields,
                 [](Context& c) { return created(app::create_role(c.db, c.caller(), c.body)); }, false, "新增角色"});
  out.push_back({"PUT", "/api/roles/:id", Guard::Permission, "role:write", role_fields,
                 [](Context& c) { return ok(app::update_role(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改角色"});

  out.push_back({"GET", "/api/dict-types", Guard::Permission, "dict:read", {},
                 [](Context& c) { return ok(app::list_dict_types(c.db)); }, false, "字典类型列表"});
  out.push_back({"POST", "/api/dict-types", Guard::Permission, "dict:write",
                 {{"code", F::String}, {"name", F::String}, {"description", F::String}},
                 [](Context& c) { return created(app::create_dict_type(c.db, c.caller(), c.body)); }, false, "新增字典类型"});
  out.push_back({"GET", "/api/dict-types/:code/items", Guard::Permission, "dict:read", {},
                 [](Context& c) { return ok(app::list_dict_items(c.db, c.req.params.at("code"))); }, false, "字典项列表"});
  out.push_back({"POST", "/api/dict-types/:code/items", Guard::Permission, "dict:write",
                 {{"value", F::String}, {"label", F::String}, {"sort", F::Integer}},
                 [](Context& c) { return created(app::create_dict_item(c.db, c.caller(), c.req.params.at("code"), c.body)); },
                 false, "新增字典项"});
  out.push_back({"PUT", "/api/dict-items/:id", Guard::Permission, "dict:write",
                 {{"label", F::String}, {"sort", F::Integer}, {"enabled", F::Boolean}},
                 [](Context& c) { return ok(app::update_dict_item(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改字典项"});

  out.push_back({"GET", "/api/audit-logs", Guard::Permission, "audit:read", {},
                 [](Context& c) { return recorded_search(c, app::list_audit(c.db, c.req.query), "audit.query", "audit_log"); },
                 false, "审计日志（每次查询记入审计日志）"});
  out.push_back({"GET", "/api/audit-logs/count", Guard::Permission, "audit:read", {},
                 [](Context& c) { return ok(app::count_audit(c.db, c.req.query)); }, false, "审计日志计数"});
  out.push_back({"GET", "/api/audit-logs/verify", Guard::Permission, "audit:read", {}, [](Context& c) {
                   auto check = app::verify_chain(c.db);
                   return recorded_search(c, {{"ok", check.ok}, {"checked", check.checked},
                                              {"brokenAt", check.broken_at ? json(check.broken_at) : json(nullptr)}},
                                          "audit.verify", "audit_log");
                 }, false, "校验审计日志链"});
  out.push_back({"GET", "/api/login-logs", Guard::Permission, "loginlog:read", {},
                 [](Context& c) { return recorded_search(c, app::list_login_log(c.db, c.req.query), "loginlog.query", "login_log"); },
                 false, "登录日志（每次查询记入审计日志）"});

  out.push_back({"GET", "/api/backups", Guard::Permission, "backup:write", {},
                 [](Context& c) { return ok(app::backup_overview(c.db)); }, false, "数据备份：设置、备份目录与最近的备份"});
  out.push_back({"POST", "/api/backups", Guard::Permission, "backup:write", {},
                 [](Context& c) { return Reply::json_body(app::start_backup(c.db, c.caller()), 202); }, false,
                 "立即备份（后台进行，完成后校验）"});
  out.push_back({"PUT", "/api/backups/settings", Guard::Permission, "backup:write",
                 {{"enabled", F::Boolean}, {"hour", F::Integer}, {"keep", F::Integer}},
                 [](Context& c) { return ok(app::update_backup_settings(c.db, c.caller(), c.body)); }, false, "定时备份设置"});

  out.push_back({"GET", "/api/api-tokens", Guard::Permission, "token:write", {},
                 [](Context& c) { return ok(app::list_api_tokens(c.db)); }, false, "接口令牌列表"});
  out.push_back({"POST", "/api/api-tokens", Guard::Permission, "token:write", {{"name", F::String}, {"userId", F::Integer}},
                 [](Context& c) { return created(app::create_api_token(c.db, c.caller(), c.body)); }, false, "新建接口令牌"});
  out.push_back({"POST", "/api/api-tokens/:id/revoke", Guard::Permission, "token:write", {},
                 [](Context& c) { return ok(app::revoke_api_token(c.db, c.caller(), c.req.id())); }, false, "吊销接口令牌"});
}

}  // namespace huoyan::http
