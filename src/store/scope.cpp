#include "store/scope.h"

#include <stdexcept>

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
    // Whether the org unit in `col` is in the caller's scope.
    auto in_scope = [&](const std::string& col) -> std::string {
      switch (c.scope) {
        case DataScope::Dept:
          params.emplace_back(c.org_unit_id);
          return col + " = ?";
        case DataScope::DeptTree:
          params.emplace_back(c.org_path + "%");
          return col + " IN (SELECT sc.id FROM org_units sc WHERE sc.path LIKE ?)";
        case DataScope::Custom:
          params.emplace_back(c.role_id);
          return col + " IN (SELECT sc.org_unit_id FROM role_scope_units sc WHERE sc.role_id = ?)";
        default:  // All and Self are answered above
          throw std::logic_error("no org unit test for this scope");
      }
    };
    // A subquery source is asked as EXISTS with the unit's test in its WHERE: SQLite evaluates
    // "x IN (correlated subquery)" by building a temporary table for each row.
    for (const auto& src : org_sources) {
      if (!src.starts_with("SELECT ")) {
        parts.push_back(in_scope(src));
      } else {
        size_t from = src.find(" FROM "), where = src.find(" WHERE ");
        if (from == std::string::npos || where == std::string::npos || where < from)
          throw std::logic_error("scope source is not SELECT col FROM ... WHERE ...: " + src);
        parts.push_back("EXISTS (SELECT 1" + src.substr(from, where - from) + " WHERE (" + src.substr(where + 7) + ") AND " +
                        in_scope(src.substr(7, from - 7)) + ")");
      }
    }
  }
  if (parts.empty()) return "(1 = 0)";
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " OR " : "") + parts[i];
  return out + ")";
}

}  // namespace huoyan::store
