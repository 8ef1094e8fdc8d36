#pragma once
// Town rule data: the holiday calendar, key periods, permit rule settings; the dictionaries' labels.
#include <nlohmann/json.hpp>
#include <vector>

#include "domain/access.h"
#include "domain/permit_rules.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

json get_calendar(store::Db& db, const std::map<std::string, std::string>& q);
json replace_calendar_year(store::Db& db, const access::Caller& who, const std::string& year, const json& body);
json list_key_periods(store::Db& db);
json create_key_period(store::Db& db, const access::Caller& who, const json& body);
json delete_key_period(store::Db& db, const access::Caller& who, long long id);
json get_rule_settings(store::Db& db);
json put_rule_settings(store::Db& db, const access::Caller& who, const json& body);

// For the permit rules: the town's settings, calendar and key periods.
permit::Settings load_settings(store::Conn& c);
permit::Calendar load_calendar(store::Conn& c);
std::vector<permit::KeyPeriod> load_key_periods(store::Conn& c);

// Every dictionary's labels, by type and value; disabled items too (a permit still shows a retired method).
struct DictLabels {
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> by_type;
  // The label of `value` in `type`, or nullopt when the dictionary lacks it.
  std::optional<std::string_view> find(std::string_view type, std::string_view value) const;
};
std::shared_ptr<const DictLabels> load_dict_labels(store::Conn& c);

}  // namespace huoyan::app
