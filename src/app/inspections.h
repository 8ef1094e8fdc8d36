#pragma once
// Inspections (监督检查): planned with at least two inspectors (公安部令第120号
// 第14条), recorded against the venue type's checklist, their findings turned
// into hazards in the same step; grid workers' patrols (one person, recorded
// on a phone); and 双随机 draws that plan inspections and can be re-run from
// their stored seed and inputs.
#include <nlohmann/json.hpp>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

json checklist_templates(store::Db& db);
json replace_checklist_template(store::Db& db, const access::Caller& who, const std::string& venue_type, const json& body);

json list_inspections(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_inspection(store::Db& db, const access::Caller& who, long long id);
// {venueId, kind, plannedOn, inspectorIds, unannounced}
json plan_inspection(store::Db& db, const access::Caller& who, const json& body);
// {results:[{code, passed, note}], findings:[{category, description, location, photos, severity, decisionRecord}], summary, lat, lng}
json record_inspection(store::Db& db, const access::Caller& who, long long id, const json& body);
// A grid worker's patrol, planned and recorded at once: {venueId, results?, findings, summary, lat, lng}.
json record_patrol(store::Db& db, const access::Caller& who, const json& body);

json list_draws(store::Db& db, const QueryMap& q);
json get_draw(store::Db& db, long long id);
// {name, venueCount, inspectorsPerVenue?, keyPercent?, plannedOn, seed?, venueTypes?, inspectorIds?, conflicts?}
json create_draw(store::Db& db, const access::Caller& who, const json& body);
// Runs the draw again from its stored seed and inputs: {matches, result}.
json verify_draw(store::Db& db, long long id);
json publish_draw(store::Db& db, const access::Caller& who, long long id);
// Published draws for the public (双随机、一公开): venues, inspectors' names and outcomes.
json public_draws(store::Db& db);

}  // namespace huoyan::app
