#pragma once
// Data scope as SQL: the caller's scope turned into a WHERE fragment over a
// record's org-unit column and owner column, so lists, reads and exports all
// filter the same way.
#include <string>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::store {

// Returns e.g. "(u.org_unit_id = ?)" and appends its parameters to `params`.
// org_col: a column holding an org_units.id; owner_col: a column holding a
// users.id (used by the 仅本人 scope).
std::string scope_condition(const access::Caller& c, const std::string& org_col, const std::string& owner_col,
                            Params& params);

}  // namespace huoyan::store
