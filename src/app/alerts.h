#pragma once
// Alerts from every source (permit timers now; machines, alarms and reports
// later): at most one open alert per source and kind, visible through the
// venue's data scope, and handled to a result.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

struct NewAlert {
  std::string kind, severity, source_type, source_id;
  std::optional<long long> venue_id;
  std::string title, detail;
};
// Opens the alert unless one of the same kind is already open for the source.
// Returns whether a new one was opened.
bool open_alert(store::Conn& c, const NewAlert& a);

nlohmann::json list_alerts(store::Db& db, const access::Caller& who, const QueryMap& q);
nlohmann::json acknowledge_alert(store::Db& db, const access::Caller& who, long long id);
nlohmann::json handle_alert(store::Db& db, const access::Caller& who, long long id, const nlohmann::json& body);

}  // namespace huoyan::app
