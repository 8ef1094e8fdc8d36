#pragma once
// Public reports (互联网+举报): anyone with a venue's QR code reports without
// logging in and follows the report with a tracking code; officials verify it
// within the legal time (24 h or 3 working days) and turn it into a hazard or
// reject it. The reporter's phone and address are never shown to the venue.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// Public side. `ip` is the client's address, for the rate limits.
json public_venue(store::Db& db, const std::string& token);  // NOT_FOUND when unknown
json public_upload(store::Db& db, const std::string& ip, const std::string& declared_type, const std::string& bytes);
json submit_public_report(store::Db& db, const std::string& ip, const json& body);
std::optional<json> public_report_status(store::Db& db, const std::string& code);

// Triage (report:triage), scoped by the venue like hazards.
json list_reports(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_report(store::Db& db, const access::Caller& who, long long id);
// accept, reject, reward
json run_report_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body);

// The A4 poster for a venue's entrance: its QR code and what to report.
std::string report_poster_html(store::Db& db, const access::Caller& who, long long venue_id, const std::string& base_url);

// Reports past their verification time raise an alert; old rate-limit rows go.
int run_report_timers(store::Db& db);

}  // namespace huoyan::app
