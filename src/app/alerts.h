#pragma once
// Alerts from every source (permit timers, welding machines, certificates;
// reports later): at most one open alert per source and kind, visible through
// the venue's data scope, handled to a result, and followed live as a feed of
// changes (updated_at).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

struct NewAlert {
  std::string kind, severity, source_type, source_id;
  std::optional<long long> venue_id;
  std::string title, detail;
  std::string source_label;  // what people call the source: machine code, permit number, holder
  // Besides the venue's manager and supervising departments, who is notified of a new alert:
  std::vector<long long> departments;  // further departments (a hazard's supervising one)
  bool escalate = false;               // the 专班 too (always for critical alerts)
  bool tell_venue = true;              // false for alerts about public reports: the venue must not learn of them
};
// Opens the alert unless one of the same kind is already open for the source;
// an open one of lower severity is raised to the new severity and title.
// Returns whether a new one was opened; a new one notifies (app/notify.h).
bool open_alert(store::Conn& c, const NewAlert& a);

nlohmann::json list_alerts(store::Db& db, const access::Caller& who, const QueryMap& q);
nlohmann::json acknowledge_alert(store::Db& db, const access::Caller& who, long long id);
// body: {result, falseAlarm?, photos?}
nlohmann::json handle_alert(store::Db& db, const access::Caller& who, long long id, const nlohmann::json& body);

// The feed: alerts in scope changed at or after `since` (ISO UTC, seconds), oldest first,
// at most 200. A change within a second of the cursor may come twice; clients merge by id.
nlohmann::json alert_changes(store::Conn& c, const access::Caller& who, const std::string& since);
// The alerts of `ids` that the caller may see.
nlohmann::json alerts_by_ids(store::Conn& c, const access::Caller& who, const std::vector<long long>& ids);

// The town on one screen: venues with coordinates and their open alert counts (as clusters when there are more than
// ?venueLimit=, 400 by default), machines with their last position, work session and open alerts; all of them
// or those within ?minLat=&minLng=&maxLat=&maxLng=.
nlohmann::json town_map(store::Db& db, const access::Caller& who, const QueryMap& q);

// 证书临期/到期 for every certificate of a registered person, once per local day.
int run_certificate_expiry(store::Db& db);

}  // namespace huoyan::app
