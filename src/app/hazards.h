#pragma once
// Hazards (隐患) closed to the end: 发现 → 交办 → 整改 → 复查 → 销号, with
// 挂牌督办 and the 限期改正通知书. Each command checks the caller, the state
// and its fields, then writes the change, a timeline event and an audit row
// in one transaction. Scope: the venue's village and supervising
// departments, the hazard's supervising department; 仅本人 is the venue's
// manager or the person who recorded the hazard.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/input.h"
#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

json hazard_categories(store::Db& db);
json list_hazards(store::Db& db, const access::Caller& who, const QueryMap& q);
// 问题清单: counts by state, overdue and supervised, per department and per village.
json hazard_summary(store::Db& db, const access::Caller& who);
// Recounts hazard_counts and hazard_village_counts from the hazards (after bulk loads that bypass their triggers).
void rebuild_hazard_counts(store::Conn& c);
// A venue moving to another village takes its hazard counts with it (hazard_village_counts); call it in the
// transaction that changes venues.org_unit_id.
void move_venue_hazard_counts(store::Conn& c, long long venue_id, long long from_village, long long to_village);
std::string export_hazards_xlsx(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_hazard(store::Db& db, const access::Caller& who, long long id);
json create_hazard(store::Db& db, const access::Caller& who, const json& body);
// assign, rectify, recheck, reopen, supervise, unsupervise: `name` is the route's last segment.
json run_hazard_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body);
// 限期改正通知书 (A4 HTML), once the hazard has been assigned.
std::string hazard_notice_html(store::Db& db, const access::Caller& who, long long id);

// A hazard recorded inside another use case's transaction (a triaged public report).
struct NewHazard {
  std::string source;  // inspection | patrol | report | device | self_check
  long long venue_id = 0;
  std::string category, severity = "general", description, location;
  std::optional<std::string> decision_record;
  json photos = json::array();
  std::string found_by, found_at;
  std::optional<long long> report_id;
};
// Checks the venue, category and severity; returns the new hazard's id.
long long insert_hazard(store::Conn& c, const access::Caller& who, const NewHazard& h);
// The hazard as the API shows it, unscoped (callers have checked scope).
json hazard_json(store::Conn& c, const access::Caller& who, long long id, bool with_timeline);

// severity (general | major) and decisionRecord from a body: 重大 only with a recorded collective
// decision (MAJOR_NEEDS_DECISION on `reported_as`).
std::string read_severity(Input& in, std::optional<std::string>& decision, const char* reported_as = "decisionRecord");

// The next number of counter `name` within `period` ("2026", "2026-12-02"), as text; one
// statement, so concurrent transactions never get the same number.
std::string next_counter(store::Conn& c, const std::string& name, const std::string& period);
// "AJ-2026-0042": `prefix`, this year, and the next number of counter `counter` in it, at least 4 digits.
std::string next_yearly_number(store::Conn& c, const std::string& counter, const std::string& prefix);

// Marks hazards past their deadline overdue and raises 隐患逾期 alerts. Returns the changes made.
int run_hazard_timers(store::Db& db);

}  // namespace huoyan::app
