#pragma once
// 小型工程备案: small building projects below the construction-permit limits that involve hot work in a crowded
// place, filed with the town before work starts (seed 000, 二(五)). The venue or the construction unit files; the
// receiving department accepts or returns for correction (the filer corrects and files again), records its safety
// guidance and unannounced checks (暗访检查), and the project is closed when finished.
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// The limits below which a building project needs no construction permit (建筑工程施工许可管理办法 第二条: 30 万元
// or 300 平方米; a province may raise them). A filing above both is flagged for the reviewer, not refused.
constexpr double kSmallProjectMaxInvestment = 30;  // 万元
constexpr double kSmallProjectMaxArea = 300;       // 平方米

// ?state=&venueId=&orgUnitId=&q=&page=&pageSize=
json list_small_projects(store::Db& db, const access::Caller& who, const QueryMap& q);
// With its timeline and the hot-work permits at its venue within its dates.
json get_small_project(store::Db& db, const access::Caller& who, long long id);
// {venueId, unitId, orgUnitId, name, kind, location, investment, area, plannedStart, plannedEnd, hotWorkMethods[],
//  fireMeasures, siteManager, sitePhone}
json file_small_project(store::Db& db, const access::Caller& who, const json& body);
// The same fields: a returned (or not yet accepted) filing corrected by its filer and filed again.
json refile_small_project(store::Db& db, const access::Caller& who, long long id, const json& body);
// accept {note?}, return {reason}, guide {note, unannounced?}, finish {note?}: `name` is the route's last segment.
json run_small_project_command(store::Db& db, const access::Caller& who, long long id, const std::string& name,
                               const json& body);

// The town's departments that can receive a filing ({items: [{id, name}]}), for filers who may not list org units.
json department_lookup(store::Db& db);

}  // namespace huoyan::app
