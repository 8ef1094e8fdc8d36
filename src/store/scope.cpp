#include "store/scope.h"

namespace huoyan::store {

std::string scope_condition(const access::Caller& c, const std::vector<std::string>& org_sources,
                            const std::vector<std::string>& owner_cols, Params& params) {
  using access::DataScope;
  std::vector<std::string> parts;
  if (c.scope == DataScope::All) return "(1 = 1)";
  if (c.scope == DataScope::Self) {
    for (const auto& col : owner_cols) {
      params.emplace_back(c.user_id);
      parts.push_back(col.find('?') != std::string::npos ? col : col + " = ?");
    }
  } else if (org_sources.empty()) {
    return "(1 = 1)";
  } else {
    for (const auto& src : org_sources) {
      switch (c.scope) {
        case DataScope::Dept:
          params.emplace_back(c.org_unit_id);
          parts.push_back("? IN (" + src + ")");
          break;
        case DataScope::DeptTree:
          params.emplace_back(c.org_path + "%");
          parts.push_back("EXISTS (SELECT 1 FROM org_units sc WHERE sc.path LIKE ? AND sc.id IN (" + src + "))");
          break;
        case DataScope::Custom:
          params.emplace_back(c.role_id);
          parts.push_back("EXISTS (SELECT 1 FROM role_scope_units sc WHERE sc.role_id = ? AND sc.org_unit_id IN (" + src + "))");
          break;
        default:
          break;
      }
    }
  }
  if (parts.empty()) return "(1 = 0)";
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " OR " : "") + parts[i];
  return out + ")";
}

}  // namespace huoyan::store
