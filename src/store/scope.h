#pragma once
// Data scope as SQL: the caller's scope turned into a WHERE fragment over a
// record's org-unit column and owner column, so lists, reads and exports all
// filter the same way.
#include <string>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::store {

// Returns e.g. "(u.org_unit_id = ?)" and appends its parameters to `params`.
// A record is in scope when any of `org_sources` (each a column, or a subquery
// "SELECT col FROM ... WHERE ..." yielding org_units ids) matches the caller's scope, or,
// for 仅本人, when any of `owner_cols` is the caller (an owner expression with
// its own `?` is used as written, e.g. "EXISTS (... user_id = ?)"). With no org sources the
// record is a town-wide registry entry: visible to every scope but 仅本人.
std::string scope_condition(const access::Caller& c, const std::vector<std::string>& org_sources,
                            const std::vector<std::string>& owner_cols, Params& params);

}  // namespace huoyan::store
