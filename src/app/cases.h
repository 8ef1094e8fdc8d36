#pragma once
// Enforcement cases (执法案件): opened from a hazard, a public report or a
// machine warning; decided with 一案双罚 (the unit and its responsible
// persons penalised in one decision); referred (移交) to the enforcement
// department and followed; closed. Typical cases are exposed (警示曝光) with
// personal data removed, and units can be marked for 失信联合惩戒.
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

json list_cases(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_case(store::Db& db, const access::Caller& who, long long id);
// {sourceType, sourceId?, venueId, unitId?, partyName?, responsiblePersons:[{name, role}], title, facts, legalBasis?}
json open_case(store::Db& db, const access::Caller& who, const json& body);
// penalize, refer, referral, close, expose: `name` is the route's last segment.
json run_case_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body);

json withdraw_exposure(store::Db& db, const access::Caller& who, long long id);
// The public exposure page: published, not withdrawn; no person names, phones or IDs.
json public_exposures(store::Db& db);

json list_credit_marks(store::Db& db, const QueryMap& q);
// Whether the unit is under an active 失信联合惩戒 mark: it then may not take work through the supply platform nor
// receive subsidies (联合惩戒 of seed 001 二(六)).
bool credit_restricted(store::Conn& c, long long unit_id);
// {reason, caseId?}
json mark_credit(store::Db& db, const access::Caller& who, long long unit_id, const json& body);
// {reason}
json lift_credit_mark(store::Db& db, const access::Caller& who, long long id, const json& body);

}  // namespace huoyan::app
