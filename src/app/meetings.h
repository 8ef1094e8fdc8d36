#pragma once
// 培训、警示教育、约谈与调度会商: records of what departments and villages hold with the venues, units and workers
// they supervise (seed 000 二(七)(八), 四(三); seed 001 二(三)(八)). Each record names its organiser, date, place and
// content, the venues and units taking part (for an interview, those interviewed) and the registered people who
// attended, so that a worker's training or a venue's interviews can be looked up and counted by department.
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// ?kind=&orgUnitId=&venueId=&unitId=&personId=&from=&to=&q=&page=&pageSize=, newest first. Officials see what their
// organisation held, and (with person:read) every training or warning education naming registered people; 仅本人
// what they recorded and the records naming their venue, their unit or themselves.
json list_meetings(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_meeting(store::Db& db, const access::Caller& who, long long id);
// {kind, title, orgUnitId?, heldOn, place, content, headcount?, venueIds[], unitIds[], personIds[]}; the organiser is
// the caller's own organisation unless one in the caller's data scope is given.
json create_meeting(store::Db& db, const access::Caller& who, const json& body);
// The same fields, by the one who recorded it (or a caller with 全部数据); the parties are replaced.
json update_meeting(store::Db& db, const access::Caller& who, long long id, const json& body);
// ?from=&to=: per organiser and kind, the number held and the people who attended, for the organisers in the caller's
// scope.
json meeting_summary(store::Db& db, const access::Caller& who, const QueryMap& q);

}  // namespace huoyan::app
