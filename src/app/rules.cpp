#include "app/rules.h"

#include <algorithm>
#include <regex>

#include "app/audit.h"
#include "app/input.h"
#include "app/query.h"
#include "domain/clock.h"
#include "domain/errors.h"

namespace huoyan::app {

namespace {

std::string hhmm(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

json settings_json(const permit::Settings& s) {
  return {{"maxHoursHigh", s.max_hours_high},       {"maxHoursLevel2", s.max_hours_level2},
          {"nightStart", hhmm(s.night_start_minute)}, {"nightEnd", hhmm(s.night_end_minute)},
          {"windForceLimit", s.wind_force_limit},   {"raiseOnRestDays", s.raise_on_rest_days},
          {"raiseAtNight", s.raise_at_night},       {"raiseInKeyPeriods", s.raise_in_key_periods},
          {"raiseInHighWind", s.raise_in_high_wind}, {"gasMaxAgeMinutes", s.gas_max_age_minutes},
          {"watchMinutes", s.watch_minutes},        {"roundOffsets", s.round_offsets},
          {"roundGraceMinutes", s.round_grace_minutes}, {"geofenceRadius", s.geofence_radius},
          {"checkInBeforeMinutes", s.check_in_before_minutes}, {"startBeforeMinutes", s.start_before_minutes},
          {"signatureSteps", s.signature_steps}};
}

int read_hhmm(Input& in, const char* field, const char* label) {
  std::string v = in.str(field, 5, label);
  static const std::regex re("^([01][0-9]|2[0-3]):([0-5][0-9])$");
  std::smatch m;
  if (!std::regex_match(v, m, re)) throw bad_request("INVALID_VALUE", std::string(label) + "须为 HH:MM", field);
  return std::stoi(m[1]) * 60 + std::stoi(m[2]);
}

permit::Settings settings_from(const json& body) {
  Input in(body);
  permit::Settings s;
  s.max_hours_high = static_cast<int>(in.integer("maxHoursHigh", "特级/一级最长有效期", 1, 24));
  s.max_hours_level2 = static_cast<int>(in.integer("maxHoursLevel2", "二级最长有效期", 1, permit::kLongestWindowHours));
  s.night_start_minute = read_hhmm(in, "nightStart", "夜间开始时间");
  s.night_end_minute = read_hhmm(in, "nightEnd", "夜间结束时间");
  s.wind_force_limit = static_cast<int>(in.integer("windForceLimit", "升级风力", 1, 12));
  s.raise_on_rest_days = in.boolean("raiseOnRestDays", "节假日升级");
  s.raise_at_night = in.boolean("raiseAtNight", "夜间升级");
  s.raise_in_key_periods = in.boolean("raiseInKeyPeriods", "重要节点升级");
  s.raise_in_high_wind = in.boolean("raiseInHighWind", "大风升级");
  s.gas_max_age_minutes = static_cast<int>(in.integer("gasMaxAgeMinutes", "气体分析时效", 5, 120));
  s.watch_minutes = static_cast<int>(in.integer("watchMinutes", "作业后监护时长", 30, 1440));
  if (!body.contains("roundOffsets") || !body["roundOffsets"].is_array() || body["roundOffsets"].empty())
    throw bad_request("REQUIRED", "请至少设置一个巡查时间点", "roundOffsets");
  std::vector<long long> offsets;
  for (const auto& v : body["roundOffsets"]) {
    if (!v.is_number_integer()) throw bad_request("INVALID_TYPE", "巡查时间点须为整数分钟", "roundOffsets");
    offsets.push_back(v.get<long long>());
  }
  if (offsets.size() > 20) throw bad_request("INVALID_VALUE", "巡查时间点最多 20 个", "roundOffsets");
  s.round_offsets.clear();
  for (size_t i = 0; i < offsets.size(); ++i) {
    if (offsets[i] < 1 || offsets[i] > 1440 || (i > 0 && offsets[i] <= offsets[i - 1]))
      throw bad_request("INVALID_VALUE", "巡查时间点须为递增的正整数分钟（不超过 1440）", "roundOffsets");
    s.round_offsets.push_back(static_cast<int>(offsets[i]));
  }
  s.round_grace_minutes = static_cast<int>(in.integer("roundGraceMinutes", "巡查宽限", 0, 120));
  s.geofence_radius = static_cast<int>(in.integer("geofenceRadius", "默认地理围栏半径", 20, 5000));
  s.check_in_before_minutes = static_cast<int>(in.integer("checkInBeforeMinutes", "提前签到时限", 0, 240));
  s.start_before_minutes = static_cast<int>(in.integer("startBeforeMinutes", "提前开工时限", 0, 120));
  if (s.start_before_minutes > s.check_in_before_minutes)
    throw bad_request("INVALID_VALUE", "提前开工时限不能长于提前签到时限（须先签到后开工）", "startBeforeMinutes");
  if (!body.contains("signatureSteps")) throw bad_request("REQUIRED", "请设置须手写签名的步骤（可为空列表）", "signatureSteps");
  if (!body["signatureSteps"].is_array()) throw bad_request("INVALID_TYPE", "须手写签名的步骤须为数组", "signatureSteps");
  for (const auto& v : body["signatureSteps"]) {
    if (!v.is_string() || std::find(permit::kSignableSteps.begin(), permit::kSignableSteps.end(), v.get<std::string>()) ==
                              permit::kSignableSteps.end())
      throw bad_request("INVALID_VALUE", "须手写签名的步骤只能是现场勘察、风险确认、审批、监护巡查、关闭验收", "signatureSteps");
    if (std::find(s.signature_steps.begin(), s.signature_steps.end(), v.get<std::string>()) != s.signature_steps.end())
      throw bad_request("INVALID_VALUE", "须手写签名的步骤重复", "signatureSteps");
    s.signature_steps.push_back(v);
  }
  return s;
}

}  // namespace

permit::Settings load_settings(store::Conn& c) {
  return *c.db().cached<permit::Settings>(store::Topic::Rules, "settings", [&] {
    auto raw = c.text("SELECT value FROM settings WHERE key = 'permit_rules'");
    if (!raw) return permit::Settings{};
    // Saved before a setting existed: that setting at its default.
    json saved = settings_json(permit::Settings{});
    saved.update(json::parse(*raw));
    return settings_from(saved);
  });
}

permit::Calendar load_calendar(store::Conn& c) {
  return *c.db().cached<permit::Calendar>(store::Topic::Rules, "calendar", [&] {
    permit::Calendar cal;
    for (const auto& d : c.rows("SELECT day, kind FROM calendar_days"))
      (d["kind"] == "holiday" ? cal.holidays : cal.workdays).insert(d["day"].get<std::string>());
    return cal;
  });
}

std::vector<permit::KeyPeriod> load_key_periods(store::Conn& c) {
  return *c.db().cached<std::vector<permit::KeyPeriod>>(store::Topic::Rules, "key_periods", [&] {
    std::vector<permit::KeyPeriod> out;
    for (const auto& k : c.rows("SELECT name, starts_at, ends_at FROM key_periods"))
      out.push_back({k["name"], {*clock::parse_iso(k["starts_at"].get<std::string>()), *clock::parse_iso(k["ends_at"].get<std::string>())}});
    return out;
  });
}

std::optional<std::string_view> DictLabels::find(std::string_view type, std::string_view value) const {
  auto t = by_type.find(type);
  if (t == by_type.end()) return std::nullopt;
  auto v = t->second.find(value);
  return v == t->second.end() ? std::nullopt : std::optional<std::string_view>(v->second);
}

std::shared_ptr<const DictLabels> load_dict_labels(store::Conn& c) {
  return c.db().cached<DictLabels>(store::Topic::Rules, "dict_labels", [&] {
    DictLabels labels;
    c.each("SELECT type_code, value, label FROM dict_items", {}, [&](const json& r) {
      labels.by_type[r["type_code"].get<std::string>()][r["value"].get<std::string>()] = r["label"].get<std::string>();
    });
    return labels;
  });
}

json get_calendar(store::Db& db, const std::map<std::string, std::string>& q) {
  auto year = query_int(q, "year");
  return db.read([&](store::Conn& c) {
    json items = year ? c.rows("SELECT day AS date, kind, name FROM calendar_days WHERE day LIKE ? ORDER BY day",
                               {std::to_string(*year) + "-%"})
                      : c.rows("SELECT day AS date, kind, name FROM calendar_days ORDER BY day");
    return json{{"items", items}};
  });
}

json replace_calendar_year(store::Db& db, const access::Caller& who, const std::string& year, const json& body) {
  static const std::regex year_re("^20[0-9]{2}$");
  if (!std::regex_match(year, year_re)) throw not_found();
  if (!body.contains("items") || !body["items"].is_array()) throw bad_request("REQUIRED", "请提供日期列表", "items");
  if (body["items"].size() > 366) throw bad_request("INVALID_VALUE", "日期过多", "items");
  std::vector<std::tuple<std::string, std::string, std::string>> days;
  std::set<std::string> seen;
  for (const auto& item : body["items"]) {
    if (!item.is_object()) throw bad_request("INVALID_TYPE", "日期项须为对象", "items");
    for (const auto& [k, v] : item.items())
      if (k != "date" && k != "kind" && k != "name") throw bad_request("UNKNOWN_FIELD", "不支持的字段：" + k.substr(0, 20), "items");
    Input in(item);
    std::string date;
    try {
      date = in.date("date", "日期");
    } catch (const ApiError& e) {
      throw bad_request(e.code, e.what(), "items");
    }
    if (date.substr(0, 4) != year) throw bad_request("INVALID_VALUE", "日期 " + date + " 不属于 " + year + " 年", "items");
    if (!seen.insert(date).second) throw bad_request("INVALID_VALUE", "日期重复：" + date, "items");
    std::string kind = in.str("kind", 10, "类型");
    if (kind != "holiday" && kind != "workday") throw bad_request("INVALID_VALUE", "类型须为 holiday 或 workday", "items");
    auto name = in.opt_str("name", 30, "名称");
    if (!name) throw bad_request("REQUIRED", "请填写 " + date + " 的名称（如 春节、国庆节调休上班）", "items");
    days.emplace_back(date, kind, *name);
  }
  return db.write([&](store::Conn& c) {
    json before = c.rows("SELECT day AS date, kind, name FROM calendar_days WHERE day LIKE ? ORDER BY day", {year + "-%"});
    c.changed(store::Topic::Rules);
    c.exec("DELETE FROM calendar_days WHERE day LIKE ?", {year + "-%"});
    for (const auto& [date, kind, name] : days)
      c.exec("INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)", {date, kind, name});
    json after = c.rows("SELECT day AS date, kind, name FROM calendar_days WHERE day LIKE ? ORDER BY day", {year + "-%"});
    record(c, who, "rule.calendar_replace", "calendar", year, json{{"days", before.size()}}, json{{"days", after.size()}});
    return json{{"items", after}};
  });
}

json list_key_periods(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = c.rows("SELECT id, name, starts_at AS start, ends_at AS \"end\", note FROM key_periods ORDER BY starts_at");
    store::as_int(items, {"id"});
    return json{{"items", items}};
  });
}

json create_key_period(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  std::string name = in.str("name", 30, "名称");
  auto start = clock::parse_iso(in.str("start", 40, "开始时间"));
  auto end = clock::parse_iso(in.str("end", 40, "结束时间"));
  if (!start) throw bad_request("INVALID_VALUE", "开始时间格式不正确", "start");
  if (!end) throw bad_request("INVALID_VALUE", "结束时间格式不正确", "end");
  if (*end <= *start) throw bad_request("INVALID_VALUE", "结束时间须晚于开始时间", "end");
  std::string note = in.opt_str("note", 200, "说明").value_or("");
  return db.write([&](store::Conn& c) {
    c.changed(store::Topic::Rules);
    long long id = c.insert("INSERT INTO key_periods (name, starts_at, ends_at, note, created_at) VALUES (?, ?, ?, ?, ?)",
                            {name, clock::iso_utc(*start), clock::iso_utc(*end), note, clock::iso_utc(clock::now())});
    json after = {{"id", id}, {"name", name}, {"start", clock::iso_utc(*start)}, {"end", clock::iso_utc(*end)}, {"note", note}};
    record(c, who, "rule.key_period_create", "key_period", std::to_string(id), nullptr, after);
    return after;
  });
}

json delete_key_period(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    auto before = c.row("SELECT id, name, starts_at AS start, ends_at AS \"end\" FROM key_periods WHERE id = ?", {id});
    if (!before) throw not_found();
    c.changed(store::Topic::Rules);
    c.exec("DELETE FROM key_periods WHERE id = ?", {id});
    record(c, who, "rule.key_period_delete", "key_period", std::to_string(id), *before, nullptr);
    return json{{"ok", true}};
  });
}

json get_rule_settings(store::Db& db) {
  return db.read([](store::Conn& c) { return settings_json(load_settings(c)); });
}

json put_rule_settings(store::Db& db, const access::Caller& who, const json& body) {
  permit::Settings s = settings_from(body);
  return db.write([&](store::Conn& c) {
    json before = settings_json(load_settings(c));
    json after = settings_json(s);
    c.changed(store::Topic::Rules);
    c.exec("DELETE FROM settings WHERE key = 'permit_rules'");
    c.exec("INSERT INTO settings (key, value) VALUES ('permit_rules', ?)", {after.dump()});
    record(c, who, "rule.settings_update", "settings", "permit_rules", before, after);
    return after;
  });
}

}  // namespace huoyan::app
