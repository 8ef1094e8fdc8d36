#pragma once
// Permissions, built-in roles and data scope. Pure data and rules; the store
// turns a DataScopeFilter into SQL.
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace huoyan::access {

struct Permission {
  std::string_view key;    // "user:write"
  std::string_view label;  // 中文名
  std::string_view group;  // 中文分组
};
// Every permission a route may require, in menu order.
const std::vector<Permission>& permission_catalogue();
bool is_permission(std::string_view key);

// 数据范围, as RuoYi-style systems define it.
enum class DataScope { All, Dept, DeptTree, Self, Custom };
struct DataScopeInfo {
  DataScope scope;
  std::string_view key;    // "all", "dept", "dept_tree", "self", "custom"
  std::string_view label;  // 全部, 本部门, ...
};
const std::vector<DataScopeInfo>& data_scopes();
bool parse_data_scope(std::string_view key, DataScope& out);
std::string_view data_scope_key(DataScope s);

struct BuiltinRole {
  std::string_view key;
  std::string_view name;
  DataScope scope;
  std::vector<std::string_view> permissions;
  bool second_factor = false;  // a new installation's role requires the second login factor
};
// 三员分立 (等保 访问控制 d, 安全管理中心): the three administrators' duties, each a set of permissions. Under the
// security policy's separation of duties no role may hold permissions of two of them.
enum class Duty { System, Security, Audit };
struct DutyInfo {
  Duty duty;
  std::string_view label;  // 系统管理员, ...
  std::vector<std::string_view> permissions;
};
const std::vector<DutyInfo>& duties();
// The duties of which `permissions` hold at least one permission, in the order of duties().
std::vector<const DutyInfo*> duties_held(const std::vector<std::string>& permissions);

// The roles DESIGN.md names and the three administrators', inserted at start-up when missing (bootstrap). A later
// change to the permissions of a role that exists is a migration's.
const std::vector<BuiltinRole>& builtin_roles();

// Who is asking. Filled by the HTTP layer from the session or API token.
struct Caller {
  long long user_id = 0;
  std::string username;
  std::string name;
  long long org_unit_id = 0;
  std::string org_path;  // "/1/4/" — the caller's org unit and its ancestors
  long long role_id = 0;
  std::string role_key;
  DataScope scope = DataScope::Self;
  std::vector<long long> custom_org_units;  // for DataScope::Custom
  // Shared with the process-wide copy that each request's Caller is copied from.
  std::shared_ptr<const std::set<std::string, std::less<>>> permissions;
  std::string ip;
  bool has(std::string_view perm) const { return permissions && permissions->count(perm) > 0; }
};

}  // namespace huoyan::access
