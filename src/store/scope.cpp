#include "store/scope.h"

namespace huoyan::store {

std::string scope_condition(const access::Caller& c, const std::string& org_col, const std::string& owner_col,
                            Params& params) {
  using access::DataScope;
  switch (c.scope) {
    case DataScope::All:
      return "(1 = 1)";
    case DataScope::Dept:
      params.emplace_back(c.org_unit_id);
      return "(" + org_col + " = ?)";
    case DataScope::DeptTree:
      params.emplace_back(c.org_path + "%");
      return "(" + org_col + " IN (SELECT id FROM org_units WHERE path LIKE ?))";
    case DataScope::Self:
      params.emplace_back(c.user_id);
      return "(" + owner_col + " = ?)";
    case DataScope::Custom:
      params.emplace_back(c.role_id);
      return "(" + org_col + " IN (SELECT org_unit_id FROM role_scope_units WHERE role_id = ?))";
  }
  return "(1 = 0)";
}

}  // namespace huoyan::store
