#include "app/registries.h"

#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "app/audit.h"
#include "app/hazards.h"
#include "app/auth.h"
#include "app/csv.h"
#include "app/input.h"
#include "app/personal_data.h"
#include "app/xlsx.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/permit_rules.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

std::string venue_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(who, {"v.org_unit_id", "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = v.id"},
                                {"v.manager_user_id", "v.created_by"}, p);
}

// 仅本人 on the town-wide registries: what the caller created, and what
// belongs to the caller's own unit (a contractor sees its workers and machines).
static std::string my_unit(const std::string& unit_col) {
  return "EXISTS (SELECT 1 FROM people me WHERE me.user_id = ? AND me.unit_id = " + unit_col + ")";
}

std::string unit_scope(const Caller& who, store::Params& p) {
  return store::scope_condition(who, {}, {"u.created_by", my_unit("u.id")}, p);
}

namespace {

using clock::now_iso;
// A form that was shown masked values sends them back unchanged: put the
// stored value in their place (only when the masked text is exactly what the
// caller was shown, so nothing can be guessed this way).
void unmask_field(json& body, const char* field, const std::string& stored, std::string (*mask)(std::string_view)) {
  if (body.contains(field) && body[field].is_string() && body[field].get<std::string>().find('*') != std::string::npos &&
      body[field].get<std::string>() == mask(stored))
    body[field] = stored;
}

store::Value opt_value(const std::optional<std::string>& v) { return v ? store::Value(*v) : store::Value(nullptr); }
store::Value opt_value(const std::optional<long long>& v) { return v ? store::Value(*v) : store::Value(nullptr); }
store::Value opt_value(const std::optional<double>& v) { return v ? store::Value(*v) : store::Value(nullptr); }

// The label of an enabled dictionary item, or INVALID_VALUE on `field`.
std::string dict_label(store::Conn& c, const std::string& type, const std::string& value, const char* field,
                       const char* label) {
  auto l = c.text("SELECT label FROM dict_items WHERE type_code = ? AND value = ? AND enabled = 1", {type, value});
  if (!l) throw bad_request("INVALID_VALUE", std::string(label) + "不在字典中：" + value.substr(0, 40), field);
  return *l;
}

std::string read_mobile(Input& in, const char* field, const char* label, bool required) {
  auto v = in.opt_str(field, 11, label);
  if (!v) {
    if (required) throw bad_request("REQUIRED", std::string("请填写") + label, field);
    return "";
  }
  if (!validate::mobile_phone(*v)) throw bad_request("INVALID_VALUE", std::string(label) + "格式不正确", field);
  return *v;
}

// The forms stored (and hashed: personal_data.h), so that what a user types finds them: a 身份证号's check
// letter and a certificate number's T and X in capitals.
std::string normalized_citizen_id(std::string id) {
  if (!id.empty()) id.back() = static_cast<char>(std::toupper(static_cast<unsigned char>(id.back())));
  return id;
}
std::string normalized_certificate_number(std::string number) {
  for (char& ch : number)
    if (ch == 'x' || ch == 't') ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return number;
}

ApiError out_of_scope(const char* field) {
  return ApiError(403, "OUT_OF_SCOPE", "保存后的记录将不在您的数据范围内，请检查所属村/社区或监管岗位", field);
}

// ---- venues ----

const char* kVenueSelect =
    "SELECT v.id, v.name, v.type, t.label AS \"typeLabel\", v.crowded, v.entertainment, v.address, "
    "v.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", v.lat, v.lng, v.geofence_radius AS \"geofenceRadius\", "
    "v.opening_hours AS \"openingHours\", v.closed_dates AS \"closedDates\", v.principal_name AS \"principalName\", "
    "v.principal_phone AS \"principalPhone\", v.fire_manager_name AS \"fireManagerName\", "
    "v.fire_manager_phone AS \"fireManagerPhone\", v.manager_user_id AS \"managerUserId\", mu.name AS \"managerName\", "
    "v.qr_token AS \"qrToken\", v.created_at AS \"createdAt\", v.updated_at AS \"updatedAt\" "
    "FROM venues v JOIN org_units o ON o.id = v.org_unit_id LEFT JOIN users mu ON mu.id = v.manager_user_id "
    "LEFT JOIN dict_items t ON t.type_code = 'venue_type' AND t.value = v.type";

void present_venues(store::Conn& c, json& venues, const Caller& who) {
  if (venues.empty()) return;
  store::as_int(venues, {"id", "orgUnitId", "managerUserId", "geofenceRadius"});
  store::as_bool(venues, {"crowded", "entertainment"});
  std::string ids;
  for (const auto& v : venues) ids += (ids.empty() ? "" : ",") + std::to_string(v["id"].get<long long>());
  json sup = c.rows("SELECT vs.venue_id, o.id, o.name FROM venue_supervisors vs JOIN org_units o ON o.id = vs.org_unit_id "
                    "WHERE vs.venue_id IN (" + ids + ") ORDER BY o.sort, o.id");
  store::as_int(sup, {"venue_id", "id"});
  bool show_phones = who.has("person:pii") || who.has("venue:write");
  for (auto& v : venues) {
    v["supervisors"] = json::array();
    v["supervisorOrgUnitIds"] = json::array();
    for (const auto& s : sup)
      if (s["venue_id"] == v["id"]) {
        v["supervisors"].push_back({{"id", s["id"]}, {"name", s["name"]}});
        v["supervisorOrgUnitIds"].push_back(s["id"]);
      }
    v["openingHours"] = json::parse(v["openingHours"].get<std::string>());
    v["closedDates"] = json::parse(v["closedDates"].get<std::string>());
    v["publicUrl"] = venue_public_path(v["qrToken"]);
    personal::open_phones(c.db(), v, {"principalPhone", "fireManagerPhone"}, show_phones);
  }
}

json venue_by_id(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = venue_scope(who, p);
  json rows = c.rows(std::string(kVenueSelect) + " WHERE v.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  present_venues(c, rows, who);
  return rows[0];
}

// "HH:MM" → minutes; "24:00" only where allow_24.
int minutes_of(const std::string& s, bool allow_24) {
  static const std::regex re("^([01][0-9]|2[0-4]):([0-5][0-9])$");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return -1;
  int h = std::stoi(m[1]), mi = std::stoi(m[2]);
  if (h == 24 && (mi != 0 || !allow_24)) return -1;
  return h * 60 + mi;
}

json read_opening_hours(const json& body) {
  json out = json::array();
  if (!body.contains("openingHours") || body["openingHours"].is_null()) return out;
  const json& list = body["openingHours"];
  if (list.size() > 70) throw bad_request("INVALID_VALUE", "营业时间段过多", "openingHours");
  for (const auto& item : list) {
    auto bad = [](const std::string& why) { return bad_request("INVALID_VALUE", "营业时间：" + why, "openingHours"); };
    for (const auto& [k, v] : item.items())
      if (k != "weekday" && k != "from" && k != "to") throw bad("不支持的字段 " + k.substr(0, 20));
    if (!item.contains("weekday") || !item["weekday"].is_number_integer()) throw bad("缺少星期（0-6）");
    int wd = item["weekday"];
    if (wd < 0 || wd > 6) throw bad("星期须为 0（周一）到 6（周日）");
    if (!item.contains("from") || !item["from"].is_string() || !item.contains("to") || !item["to"].is_string())
      throw bad("缺少开始或结束时间");
    int from = minutes_of(item["from"], false), to = minutes_of(item["to"], true);
    if (from < 0 || to < 0) throw bad("时间须为 HH:MM，例如 08:30");
    if (from == to) throw bad("开始和结束时间不能相同");
    out.push_back({{"weekday", wd}, {"from", item["from"]}, {"to", item["to"]}});
  }
  return out;
}

struct VenueFields {
  std::string name, type, address, principal_name, principal_phone, fire_manager_name, fire_manager_phone;
  bool crowded, entertainment;
  long long org_unit_id;
  std::vector<long long> supervisors;
  std::optional<double> lat, lng;
  long long geofence_radius;
  json opening_hours, closed_dates;
  std::optional<long long> manager_user_id;
};

VenueFields read_venue(Input& in, const json& body) {
  VenueFields f;
  f.name = in.str("name", 100, "场所名称");
  f.type = in.str("type", 40, "场所类型");
  f.crowded = in.boolean("crowded", "是否人员密集场所");
  f.entertainment = in.boolean("entertainment", "是否公共娱乐场所");
  f.address = in.str("address", 200, "地址");
  f.org_unit_id = in.integer("orgUnitId", "所属村/社区");
  f.supervisors = in.int_list("supervisorOrgUnitIds", 20, "监管岗位");
  if (f.supervisors.empty()) throw bad_request("REQUIRED", "请选择至少一个监管岗位", "supervisorOrgUnitIds");
  f.lat = in.opt_number("lat", "纬度", -90, 90);
  f.lng = in.opt_number("lng", "经度", -180, 180);
  if (f.lat.has_value() != f.lng.has_value()) throw bad_request("INVALID_VALUE", "经度和纬度须同时填写", f.lat ? "lng" : "lat");
  f.geofence_radius = in.opt_integer("geofenceRadius", "地理围栏半径", 20, 5000).value_or(200);
  if (!in.has("openingHours")) throw bad_request("REQUIRED", "请填写营业时间（全天不营业可留空列表）", "openingHours");
  f.opening_hours = read_opening_hours(body);
  f.closed_dates = json::array();
  for (const auto& d : in.str_list("closedDates", 400, 10, "休息日")) {
    if (d.size() != 10 || !clock::parse_iso(d)) throw bad_request("INVALID_VALUE", "休息日不是有效日期：" + d, "closedDates");
    f.closed_dates.push_back(d);
  }
  f.principal_name = in.str("principalName", 30, "主要负责人");
  f.principal_phone = read_mobile(in, "principalPhone", "主要负责人电话", true);
  f.fire_manager_name = in.opt_str("fireManagerName", 30, "消防安全管理人").value_or("");
  f.fire_manager_phone = read_mobile(in, "fireManagerPhone", "消防安全管理人电话", false);
  f.manager_user_id = in.opt_integer("managerUserId", "场所管理账号");
  return f;
}

void check_venue_refs(store::Conn& c, const VenueFields& f) {
  dict_label(c, "venue_type", f.type, "type", "场所类型");
  auto kind = c.text("SELECT kind FROM org_units WHERE id = ?", {f.org_unit_id});
  if (!kind || *kind != "village")
    throw bad_request("ORG_UNIT_NOT_FOUND", "所属村/社区不存在", "orgUnitId");
  for (long long s : f.supervisors) {
    auto k = c.text("SELECT kind FROM org_units WHERE id = ?", {s});
    if (!k || *k != "department") throw bad_request("ORG_UNIT_NOT_FOUND", "监管岗位不存在", "supervisorOrgUnitIds");
  }
  if (f.manager_user_id) {
    auto manager = load_caller(c, *f.manager_user_id);
    if (!manager) throw bad_request("USER_NOT_FOUND", "场所管理账号不存在或已停用", "managerUserId");
    if (!manager->has("permit:approve"))
      throw bad_request("MANAGER_NOT_ALLOWED", "场所管理账号须有动火审批权限（如场所负责人角色）", "managerUserId");
  }
}

void save_supervisors(store::Conn& c, long long venue_id, const std::vector<long long>& ids) {
  c.exec("DELETE FROM venue_supervisors WHERE venue_id = ?", {venue_id});
  std::set<long long> unique(ids.begin(), ids.end());
  for (long long s : unique) c.exec("INSERT INTO venue_supervisors (venue_id, org_unit_id) VALUES (?, ?)", {venue_id, s});
}

void require_venue_in_scope(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = venue_scope(who, p);
  if (!c.row("SELECT v.id FROM venues v WHERE v.id = ? AND " + cond, p)) throw out_of_scope("supervisorOrgUnitIds");
}

}  // namespace

std::string venue_public_path(const std::string& qr_token) { return "/r/v/" + qr_token; }

permit::BusinessHours venue_hours(const std::string& opening_hours_json, const std::string& closed_dates_json) {
  permit::BusinessHours h;
  for (const auto& o : json::parse(opening_hours_json)) {
    int from = minutes_of(o["from"], false), to = minutes_of(o["to"], true);
    if (to <= from) to += 24 * 60;
    h.open[o["weekday"].get<int>()].push_back({from, to});
  }
  for (const auto& d : json::parse(closed_dates_json)) h.closed_dates.insert(d.get<std::string>());
  return h;
}

json venue_lookup(store::Db& db, const QueryMap& q) {
  Filter f;
  if (auto v = query_str(q, "q")) f.add("(v.name LIKE ? OR v.address LIKE ?)", "%" + *v + "%", "%" + *v + "%");
  if (auto v = query_int(q, "id")) f.add("v.id = ?", *v);
  return db.read([&](store::Conn& c) {
    json items = c.rows("SELECT v.id, v.name, v.address, v.type, t.label AS \"typeLabel\", v.crowded, v.entertainment, "
                        "v.opening_hours AS \"openingHours\", v.closed_dates AS \"closedDates\", "
                        "v.manager_user_id AS \"managerUserId\", mu.name AS \"managerName\" FROM venues v "
                        "LEFT JOIN users mu ON mu.id = v.manager_user_id "
                        "LEFT JOIN dict_items t ON t.type_code = 'venue_type' AND t.value = v.type" + f.sql + " ORDER BY v.name LIMIT 30",
                        f.params);
    store::as_int(items, {"id", "managerUserId"});
    store::as_bool(items, {"crowded", "entertainment"});
    for (auto& v : items) {
      v["openingHours"] = json::parse(v["openingHours"].get<std::string>());
      v["closedDates"] = json::parse(v["closedDates"].get<std::string>());
    }
    return json{{"items", items}};
  });
}

json people_lookup(store::Db& db, const QueryMap& q) {
  Filter f;
  if (auto v = query_str(q, "q")) f.add("(p.name LIKE ? OR un.name LIKE ?)", "%" + *v + "%", "%" + *v + "%");
  if (auto v = query_int(q, "id")) f.add("p.id = ?", *v);
  if (auto v = query_int(q, "unitId")) f.add("p.unit_id = ?", *v);
  if (auto v = query_bool(q, "hasAccount")) f.sql += *v ? " AND p.user_id IS NOT NULL" : " AND p.user_id IS NULL";
  return db.read([&](store::Conn& c) {
    json items = c.rows("SELECT p.id, p.name, p.unit_id AS \"unitId\", un.name AS \"unitName\", p.user_id AS \"userId\" "
                        "FROM people p LEFT JOIN units un ON un.id = p.unit_id" + f.sql + " ORDER BY p.name LIMIT 30",
                        f.params);
    store::as_int(items, {"id", "unitId", "userId"});
    std::string today = clock::today();
    for (auto& p : items) {
      p["hasAccount"] = !p["userId"].is_null();
      json certs = c.rows("SELECT c.id, c.kind, k.label AS \"kindLabel\", c.number, c.status, c.valid_until AS \"validUntil\", "
                          "c.next_review AS \"nextReview\" FROM certificates c LEFT JOIN dict_items k "
                          "ON k.type_code = 'certificate_type' AND k.value = c.kind WHERE c.person_id = ? ORDER BY c.id",
                          {p["id"].get<long long>()});
      store::as_int(certs, {"id"});
      for (auto& ce : certs) {
        ce["state"] = certificate_state(ce["status"], ce["validUntil"], ce["nextReview"].is_string() ? ce["nextReview"].get<std::string>() : "", today);
        ce["number"] = validate::mask_certificate_number(personal::open(db, ce["number"].get<std::string>()));
      }
      p["certificates"] = certs;
    }
    return json{{"items", items}};
  });
}

json list_venues(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + venue_scope(who, f.params);
  if (auto v = query_str(q, "q")) f.add("(v.name LIKE ? OR v.address LIKE ? OR v.principal_name LIKE ?)", "%" + *v + "%", "%" + *v + "%", "%" + *v + "%");
  if (auto v = query_str(q, "type")) f.add("v.type = ?", *v);
  if (auto v = query_int(q, "orgUnitId"))
    f.add("v.org_unit_id IN (SELECT id FROM org_units WHERE path LIKE (SELECT path FROM org_units WHERE id = ?) || '%')", *v);
  if (auto v = query_int(q, "supervisorOrgUnitId"))
    f.add("EXISTS (SELECT 1 FROM venue_supervisors s2 WHERE s2.venue_id = v.id AND s2.org_unit_id = ?)", *v);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kVenueSelect, "FROM venues v", f, "v.id", p);
    present_venues(c, out["items"], who);
    return out;
  });
}

void require_venue_in_scope(store::Db& db, const Caller& who, long long venue_id) {
  try {
    get_venue(db, who, venue_id);
  } catch (const ApiError& e) {
    if (e.status == 404) throw bad_request("VENUE_NOT_FOUND", "场所不存在或不在您的数据范围内", "venueId");
    throw;
  }
}

json get_venue(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return venue_by_id(c, who, id); });
}

json create_venue(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  VenueFields f = read_venue(in, body);
  return db.write([&](store::Conn& c) {
    check_venue_refs(c, f);
    if (c.row("SELECT id FROM venues WHERE name = ?", {f.name})) throw conflict("VENUE_NAME_TAKEN", "已有同名场所", "name");
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO venues (name, type, crowded, entertainment, address, org_unit_id, lat, lng, geofence_radius, "
        "opening_hours, closed_dates, principal_name, principal_phone, fire_manager_name, fire_manager_phone, "
        "manager_user_id, qr_token, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.name, f.type, static_cast<long long>(f.crowded), static_cast<long long>(f.entertainment), f.address,
         f.org_unit_id, opt_value(f.lat), opt_value(f.lng), f.geofence_radius, f.opening_hours.dump(),
         f.closed_dates.dump(), f.principal_name, personal::seal(db, f.principal_phone), f.fire_manager_name,
         personal::seal(db, f.fire_manager_phone), opt_value(f.manager_user_id), random_token(12), who.user_id, now, now});
    save_supervisors(c, id, f.supervisors);
    require_venue_in_scope(c, who, id);
    json after = venue_by_id(c, who, id);
    record(c, who, "venue.create", "venue", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_venue(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  VenueFields f = read_venue(in, body);
  return db.write([&](store::Conn& c) {
    json before = venue_by_id(c, who, id);
    check_venue_refs(c, f);
    move_venue_hazard_counts(c, id, before["orgUnitId"].get<long long>(), f.org_unit_id);
    if (c.row("SELECT id FROM venues WHERE name = ? AND id <> ?", {f.name, id}))
      throw conflict("VENUE_NAME_TAKEN", "已有同名场所", "name");
    c.exec("UPDATE venues SET name = ?, type = ?, crowded = ?, entertainment = ?, address = ?, org_unit_id = ?, lat = ?, "
           "lng = ?, geofence_radius = ?, opening_hours = ?, closed_dates = ?, principal_name = ?, principal_phone = ?, "
           "fire_manager_name = ?, fire_manager_phone = ?, manager_user_id = ?, updated_at = ? WHERE id = ?",
           {f.name, f.type, static_cast<long long>(f.crowded), static_cast<long long>(f.entertainment), f.address,
            f.org_unit_id, opt_value(f.lat), opt_value(f.lng), f.geofence_radius, f.opening_hours.dump(),
            f.closed_dates.dump(), f.principal_name, personal::seal(db, f.principal_phone), f.fire_manager_name,
            personal::seal(db, f.fire_manager_phone), opt_value(f.manager_user_id), now_iso(), id});
    save_supervisors(c, id, f.supervisors);
    require_venue_in_scope(c, who, id);
    json after = venue_by_id(c, who, id);
    record(c, who, "venue.update", "venue", std::to_string(id), before, after);
    return after;
  });
}

// ---- units ----

namespace {
const std::map<std::string, std::string> kUnitKinds = {
    {"contractor", "施工单位"}, {"employer", "用工单位"}, {"labour_dispatch", "劳务派遣单位"}, {"venue_operator", "场所经营管理单位"}};

const char* kUnitSelect =
    "SELECT u.id, u.name, u.credit_code AS \"creditCode\", u.kind, u.contact_name AS \"contactName\", "
    "u.contact_phone AS \"contactPhone\", u.address, u.created_at AS \"createdAt\", "
    "(SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id) AS \"personCount\", "
    "(SELECT COUNT(*) FROM machines m WHERE m.unit_id = u.id) AS \"machineCount\" FROM units u";

void present_units(const store::Db& db, json& units, const Caller& who) {
  store::as_int(units, {"id", "personCount", "machineCount"});
  for (auto& u : units) {
    u["kindLabel"] = kUnitKinds.count(u["kind"]) ? kUnitKinds.at(u["kind"]) : u["kind"].get<std::string>();
    personal::open_phones(db, u, {"contactPhone"}, who.has("person:pii") || who.has("unit:write"));
  }
}


json unit_by_id(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = unit_scope(who, p);
  json rows = c.rows(std::string(kUnitSelect) + " WHERE u.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  present_units(c.db(), rows, who);
  return rows[0];
}

struct UnitFields {
  std::string name, credit_code, kind, contact_name, contact_phone, address;
};
UnitFields read_unit(Input& in) {
  UnitFields f;
  f.name = in.str("name", 100, "单位名称");
  f.credit_code = in.str("creditCode", 18, "统一社会信用代码");
  for (char& ch : f.credit_code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!validate::credit_code(f.credit_code))
    throw bad_request("INVALID_VALUE", "统一社会信用代码无效（18 位，校验位不符）", "creditCode");
  f.kind = in.str("kind", 20, "单位类别");
  if (!kUnitKinds.count(f.kind)) throw bad_request("INVALID_VALUE", "单位类别无效", "kind");
  f.contact_name = in.str("contactName", 30, "联系人");
  f.contact_phone = read_mobile(in, "contactPhone", "联系电话", true);
  f.address = in.opt_str("address", 200, "地址").value_or("");
  return f;
}
}  // namespace

json list_units(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + unit_scope(who, f.params);
  if (auto v = query_str(q, "q")) f.add("(u.name LIKE ? OR u.credit_code LIKE ?)", "%" + *v + "%", "%" + *v + "%");
  if (auto v = query_str(q, "kind")) {
    if (!kUnitKinds.count(*v)) throw bad_request("INVALID_VALUE", "单位类别无效", "kind");
    f.add("u.kind = ?", *v);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kUnitSelect, "FROM units u", f, "u.id", p);
    present_units(db, out["items"], who);
    return out;
  });
}

json get_unit(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return unit_by_id(c, who, id); });
}

json create_unit(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  UnitFields f = read_unit(in);
  return db.write([&](store::Conn& c) {
    if (c.row("SELECT id FROM units WHERE credit_code = ?", {f.credit_code}))
      throw conflict("CREDIT_CODE_TAKEN", "该统一社会信用代码已登记", "creditCode");
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO units (name, credit_code, kind, contact_name, contact_phone, address, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.name, f.credit_code, f.kind, f.contact_name, personal::seal(db, f.contact_phone), f.address, who.user_id, now, now});
    json after = unit_by_id(c, who, id);
    record(c, who, "unit.create", "unit", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_unit(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  UnitFields f = read_unit(in);
  return db.write([&](store::Conn& c) {
    json before = unit_by_id(c, who, id);
    if (c.row("SELECT id FROM units WHERE credit_code = ? AND id <> ?", {f.credit_code, id}))
      throw conflict("CREDIT_CODE_TAKEN", "该统一社会信用代码已登记", "creditCode");
    c.exec("UPDATE units SET name = ?, credit_code = ?, kind = ?, contact_name = ?, contact_phone = ?, address = ?, "
           "updated_at = ? WHERE id = ?",
           {f.name, f.credit_code, f.kind, f.contact_name, personal::seal(db, f.contact_phone), f.address, now_iso(), id});
    json after = unit_by_id(c, who, id);
    record(c, who, "unit.update", "unit", std::to_string(id), before, after);
    return after;
  });
}

// ---- people and certificates ----

namespace {
const char* kPersonSelect =
    "SELECT p.id, p.name, p.citizen_id AS \"citizenId\", p.phone, p.photo, p.unit_id AS \"unitId\", un.name AS \"unitName\", "
    "p.user_id AS \"userId\", us.username, p.created_at AS \"createdAt\", "
    "(SELECT COUNT(*) FROM certificates c2 WHERE c2.person_id = p.id) AS \"certificateCount\" "
    "FROM people p LEFT JOIN units un ON un.id = p.unit_id LEFT JOIN users us ON us.id = p.user_id";

std::string person_scope(const Caller& who, store::Params& p) {
  return store::scope_condition(who, {}, {"p.created_by", my_unit("p.unit_id")}, p);
}

// 个人信息保护: ID numbers and phones are masked in what people read (lists, details, answers to writes, the audit
// log); the full values go out only to a holder of person:pii who gives a reason (reveal_person, audited) and in
// that holder's exports (each export audited with its filters).
enum class Pii { Masked, Full };

void mask_person_fields(json& row, Pii pii, const char* id_field, const char* phone_field) {
  if (pii == Pii::Full) return;
  if (row.contains(id_field) && row[id_field].is_string()) row[id_field] = validate::mask_citizen_id(row[id_field].get<std::string>());
  if (phone_field && row.contains(phone_field) && row[phone_field].is_string() && !row[phone_field].get<std::string>().empty())
    row[phone_field] = validate::mask_phone(row[phone_field].get<std::string>());
}

// Rows of kPersonSelect as the API shows them: opened (personal_data.h), then masked unless `pii`.
void present_people(const store::Db& db, json& people, Pii pii) {
  store::as_int(people, {"id", "unitId", "userId", "certificateCount"});
  for (auto& p : people) {
    personal::open_field(db, p, "citizenId");
    personal::open_field(db, p, "phone");
    mask_person_fields(p, pii, "citizenId", "phone");
  }
}

const char* kCertSelect =
    "SELECT c.id, c.person_id AS \"personId\", p.name AS \"personName\", p.citizen_id AS \"citizenId\", c.kind, "
    "k.label AS \"kindLabel\", c.number, c.issuer, c.first_issued AS \"firstIssued\", c.valid_until AS \"validUntil\", "
    "c.next_review AS \"nextReview\", c.status, c.verified_at, c.verified_by, c.verify_result, c.verify_note, "
    "c.verify_evidence, "
    "c.created_at AS \"createdAt\" FROM certificates c JOIN people p ON p.id = c.person_id "
    "LEFT JOIN dict_items k ON k.type_code = 'certificate_type' AND k.value = c.kind";

std::string cert_scope(const Caller& who, store::Params& p) {
  return store::scope_condition(who, {}, {"p.created_by", "c.created_by", my_unit("p.unit_id")}, p);
}

// Rows of kCertSelect as the API shows them: opened, then masked unless `pii`.
void present_certs(const store::Db& db, json& certs, Pii pii) {
  std::string today = clock::today();
  store::as_int(certs, {"id", "personId"});
  for (auto& c : certs) {
    personal::open_field(db, c, "citizenId");
    personal::open_field(db, c, "number");
    std::string review = c["nextReview"].is_string() ? c["nextReview"].get<std::string>() : "";
    c["state"] = certificate_state(c["status"], c["validUntil"], review, today);
    c["daysToExpiry"] = clock::days_between(today, c["validUntil"]);
    if (c["verified_at"].is_string())
      c["verification"] = {{"at", c["verified_at"]}, {"by", c["verified_by"]}, {"result", c["verify_result"]},
                           {"note", c["verify_note"]}, {"evidence", c["verify_evidence"]}};
    else
      c["verification"] = nullptr;
    for (const char* f : {"verified_at", "verified_by", "verify_result", "verify_note", "verify_evidence"}) c.erase(f);
    mask_person_fields(c, pii, "citizenId", nullptr);
    // A 特种作业操作证 number is "T" + the citizen ID: mask it the same way.
    if (pii == Pii::Masked && permit::special_operation_kind(c["kind"]))
      c["number"] = validate::mask_certificate_number(c["number"].get<std::string>());
  }
}

json cert_by_id(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = cert_scope(who, p);
  json rows = c.rows(std::string(kCertSelect) + " WHERE c.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  present_certs(c.db(), rows, Pii::Masked);
  return rows[0];
}

json person_by_id(store::Conn& c, const Caller& who, long long id, Pii pii = Pii::Masked) {
  store::Params p{id};
  std::string cond = person_scope(who, p);
  json rows = c.rows(std::string(kPersonSelect) + " WHERE p.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  present_people(c.db(), rows, pii);
  json certs = c.rows(std::string(kCertSelect) + " WHERE c.person_id = ? ORDER BY c.id", {id});
  present_certs(c.db(), certs, pii);
  rows[0]["certificates"] = certs;
  return rows[0];
}

struct PersonFields {
  std::string name, citizen_id, phone;
  std::optional<std::string> photo;
  std::optional<long long> unit_id, user_id;
};
PersonFields read_person(Input& in) {
  PersonFields f;
  f.name = in.str("name", 30, "姓名");
  f.citizen_id = normalized_citizen_id(in.str("citizenId", 18, "身份证号"));
  if (!validate::citizen_id(f.citizen_id)) throw bad_request("INVALID_VALUE", "身份证号无效（18 位，校验位或出生日期不符）", "citizenId");
  f.phone = read_mobile(in, "phone", "手机号", true);
  f.unit_id = in.opt_integer("unitId", "所属单位");
  f.user_id = in.opt_integer("userId", "关联账号");
  f.photo = in.opt_str("photo", 64, "照片");
  return f;
}

// A unit the caller may refer to: one in its scope.
bool unit_visible(store::Conn& c, const Caller& who, long long unit_id) {
  store::Params p{unit_id};
  std::string cond = unit_scope(who, p);
  return c.row("SELECT u.id FROM units u WHERE u.id = ? AND " + cond, p).has_value();
}

void check_person_refs(store::Conn& c, const Caller& who, const PersonFields& f, long long self_id) {
  if (f.unit_id && !unit_visible(c, who, *f.unit_id)) throw bad_request("UNIT_NOT_FOUND", "所属单位不存在", "unitId");
  if (f.user_id) {
    if (!c.row("SELECT id FROM users WHERE id = ?", {*f.user_id})) throw bad_request("USER_NOT_FOUND", "关联账号不存在", "userId");
    if (c.row("SELECT id FROM people WHERE user_id = ? AND id <> ?", {*f.user_id, self_id}))
      throw conflict("USER_ALREADY_LINKED", "该账号已关联其他人员", "userId");
  }
  if (c.row("SELECT id FROM people WHERE citizen_id_hash = ? AND id <> ?", {personal::lookup(c.db(), f.citizen_id), self_id}))
    throw conflict("CITIZEN_ID_TAKEN", "该身份证号已登记", "citizenId");
  if (f.photo && !c.row("SELECT id FROM files WHERE id = ?", {*f.photo})) throw bad_request("FILE_NOT_FOUND", "照片不存在，请重新上传", "photo");
}

struct CertFields {
  long long person_id;
  std::string kind, number, issuer, first_issued, valid_until, status;
  std::optional<std::string> next_review;
};

CertFields read_cert(Input& in) {
  CertFields f;
  f.person_id = in.integer("personId", "持证人");
  f.kind = in.str("kind", 40, "证书类型");
  f.number = normalized_certificate_number(in.str("number", 40, "证书编号"));
  f.issuer = in.str("issuer", 60, "发证机关");
  f.first_issued = in.date("firstIssued", "初领日期");
  f.valid_until = in.date("validUntil", "有效期至");
  f.next_review = in.opt_date("nextReview", "复审日期");
  f.status = in.has("status") ? in.one_of("status", "证书状态", {"valid", "suspended", "revoked"}) : "valid";
  if (f.valid_until < f.first_issued) throw bad_request("INVALID_VALUE", "有效期至不能早于初领日期", "validUntil");
  if (f.next_review && *f.next_review < f.first_issued) throw bad_request("INVALID_VALUE", "复审日期不能早于初领日期", "nextReview");
  return f;
}

// Checks a certificate's holder, kind and number (人证不符 for a 特种作业操作证, taken by another certificate).
void check_cert(store::Conn& c, const CertFields& f, long long self_id) {
  auto citizen = c.text("SELECT citizen_id FROM people WHERE id = ?", {f.person_id});
  if (!citizen) throw bad_request("PERSON_NOT_FOUND", "持证人不存在", "personId");
  dict_label(c, "certificate_type", f.kind, "kind", "证书类型");
  if (permit::special_operation_kind(f.kind) && f.number != "T" + personal::open(c.db(), *citizen))
    throw bad_request("CERT_NUMBER_MISMATCH", "特种作业操作证编号应为 T 加持证人身份证号（人证不符）", "number");
  if (c.row("SELECT id FROM certificates WHERE number_hash = ? AND kind = ? AND id <> ?",
            {personal::lookup(c.db(), f.number), f.kind, self_id}))
    throw conflict("CERT_NUMBER_TAKEN", "该证书已登记", "number");
}

long long insert_cert(store::Conn& c, const Caller& who, const CertFields& f) {
  std::string now = now_iso();
  return c.insert(
      "INSERT INTO certificates (person_id, kind, number, number_hash, issuer, first_issued, valid_until, next_review, "
      "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {f.person_id, f.kind, personal::seal(c.db(), f.number), personal::lookup(c.db(), f.number), f.issuer, f.first_issued,
       f.valid_until, opt_value(f.next_review), f.status, who.user_id, now, now});
}

// SQL for one certificate state on `today` (see certificate_state).
std::string state_condition(const std::string& state, const std::string& today, store::Params& p) {
  std::string soon = clock::add_days(today, 60);
  if (state == "suspended" || state == "revoked") {
    p.emplace_back(state);
    return "c.status = ?";
  }
  if (state == "expired") {
    p.emplace_back(today);
    return "c.status = 'valid' AND c.valid_until < ?";
  }
  if (state == "review_overdue") {
    p.insert(p.end(), {today, today});
    return "c.status = 'valid' AND c.valid_until >= ? AND c.next_review IS NOT NULL AND c.next_review < ?";
  }
  if (state == "expiring") {
    p.insert(p.end(), {today, today, soon, soon});
    return "c.status = 'valid' AND c.valid_until >= ? AND (c.next_review IS NULL OR c.next_review >= ?) AND "
           "(c.valid_until <= ? OR c.next_review <= ?)";
  }
  if (state == "valid") {
    p.insert(p.end(), {soon, soon});
    return "c.status = 'valid' AND c.valid_until > ? AND (c.next_review IS NULL OR c.next_review > ?)";
  }
  throw bad_request("INVALID_VALUE", "证书状态无效", "status");
}

// `q` finds a holder by part of the name, or a whole certificate number or 身份证号 (stored sealed, found by hash).
Filter cert_filter(const store::Db& db, const Caller& who, const QueryMap& q) {
  Filter f;
  f.sql += " AND " + cert_scope(who, f.params);
  if (auto v = query_str(q, "q"))
    f.add("(p.name LIKE ? OR c.number_hash = ? OR p.citizen_id_hash = ?)", "%" + *v + "%",
          personal::lookup(db, normalized_certificate_number(*v)), personal::lookup(db, normalized_citizen_id(*v)));
  if (auto v = query_str(q, "kind")) f.add("c.kind = ?", *v);
  if (auto v = query_int(q, "personId")) f.add("c.person_id = ?", *v);
  if (auto v = query_str(q, "status")) f.sql += " AND " + state_condition(*v, clock::today(), f.params);
  if (auto v = query_int(q, "expiringWithinDays")) {
    if (*v > 3650) throw bad_request("INVALID_VALUE", "临期天数过大", "expiringWithinDays");
    f.add("c.status = 'valid' AND c.valid_until >= ? AND c.valid_until <= ?", clock::today(),
          clock::add_days(clock::today(), static_cast<int>(*v)));
  }
  return f;
}
}  // namespace

permit::CertificateFacts certificate_facts(const store::Db& db, const json& row) {
  return {row["kind"], personal::open(db, row["number"].get<std::string>()), personal::open(db, row["holder"].get<std::string>()),
          row["status"], row["valid_until"], row["next_review"].is_string() ? row["next_review"].get<std::string>() : ""};
}

std::string certificate_state(const std::string& status, const std::string& valid_until, const std::string& next_review,
                              const std::string& today) {
  if (status != "valid") return status;
  if (valid_until < today) return "expired";
  if (!next_review.empty() && next_review < today) return "review_overdue";
  std::string soon = clock::add_days(today, 60);
  if (valid_until <= soon || (!next_review.empty() && next_review <= soon)) return "expiring";
  return "valid";
}

json list_people(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + person_scope(who, f.params);
  if (auto v = query_str(q, "q"))
    f.add("(p.name LIKE ? OR p.citizen_id_hash = ? OR p.phone_hash = ?)", "%" + *v + "%",
          personal::lookup(db, normalized_citizen_id(*v)), personal::lookup(db, *v));
  if (auto v = query_int(q, "unitId")) f.add("p.unit_id = ?", *v);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kPersonSelect, "FROM people p", f, "p.id", p);
    present_people(db, out["items"], Pii::Masked);
    return out;
  });
}

json get_person(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return person_by_id(c, who, id); });
}

json reveal_person(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string reason = in.str("reason", 100, "查看原因");
  if (validate::utf8_length(reason).value_or(0) < 2)
    throw bad_request("INVALID_VALUE", "请写明查看完整信息的原因（至少 2 个字）", "reason");
  return db.write([&](store::Conn& c) {
    json full = person_by_id(c, who, id, Pii::Full);
    record(c, who, "person.reveal", "person", std::to_string(id), nullptr, json{{"reason", reason}});
    return full;
  });
}

json create_person(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  PersonFields f = read_person(in);
  return db.write([&](store::Conn& c) {
    check_person_refs(c, who, f, 0);
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO people (name, citizen_id, citizen_id_hash, phone, phone_hash, photo, unit_id, user_id, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.name, personal::seal(db, f.citizen_id), personal::lookup(db, f.citizen_id), personal::seal(db, f.phone),
         personal::lookup(db, f.phone), opt_value(f.photo), opt_value(f.unit_id), opt_value(f.user_id), who.user_id, now, now});
    json after = person_by_id(c, who, id);
    json logged = after;
    mask_person_fields(logged, Pii::Masked, "citizenId", "phone");
    record(c, who, "person.create", "person", std::to_string(id), nullptr, logged);
    return after;
  });
}


json update_person(store::Db& db, const Caller& who, long long id, const json& body_in) {
  json body = body_in;
  if (auto stored = db.read([&](store::Conn& c) { return c.row("SELECT citizen_id, phone FROM people WHERE id = ?", {id}); })) {
    unmask_field(body, "citizenId", personal::open(db, (*stored)["citizen_id"].get<std::string>()), validate::mask_citizen_id);
    unmask_field(body, "phone", personal::open(db, (*stored)["phone"].get<std::string>()), validate::mask_phone);
  }
  Input in(body);
  PersonFields f = read_person(in);
  return db.write([&](store::Conn& c) {
    json before = person_by_id(c, who, id);
    check_person_refs(c, who, f, id);
    c.exec("UPDATE people SET name = ?, citizen_id = ?, citizen_id_hash = ?, phone = ?, phone_hash = ?, photo = ?, unit_id = ?, "
           "user_id = ?, updated_at = ? WHERE id = ?",
           {f.name, personal::seal(db, f.citizen_id), personal::lookup(db, f.citizen_id), personal::seal(db, f.phone),
            personal::lookup(db, f.phone), opt_value(f.photo), opt_value(f.unit_id), opt_value(f.user_id), now_iso(), id});
    json after = person_by_id(c, who, id);
    json b = before, a = after;
    b.erase("certificates");
    a.erase("certificates");
    mask_person_fields(b, Pii::Masked, "citizenId", "phone");
    mask_person_fields(a, Pii::Masked, "citizenId", "phone");
    record(c, who, "person.update", "person", std::to_string(id), b, a);
    return after;
  });
}

json list_certificates(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f = cert_filter(db, who, q);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kCertSelect, "FROM certificates c JOIN people p ON p.id = c.person_id", f, "c.valid_until, c.id", p);
    present_certs(db, out["items"], Pii::Masked);
    return out;
  });
}

json get_certificate(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return cert_by_id(c, who, id); });
}

json create_certificate(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  CertFields f = read_cert(in);
  return db.write([&](store::Conn& c) {
    store::Params p{f.person_id};
    std::string cond = person_scope(who, p);
    if (!c.row("SELECT p.id FROM people p WHERE p.id = ? AND " + cond, p))
      throw bad_request("PERSON_NOT_FOUND", "持证人不存在", "personId");
    check_cert(c, f, 0);
    long long id = insert_cert(c, who, f);
    json after = cert_by_id(c, who, id);
    record(c, who, "certificate.create", "certificate", std::to_string(id), nullptr,
           json{{"number", validate::mask_certificate_number(f.number)}, {"kind", f.kind}, {"validUntil", f.valid_until}});
    return after;
  });
}

json update_certificate(store::Db& db, const Caller& who, long long id, const json& body_in) {
  json body = body_in;
  if (auto stored = db.read([&](store::Conn& c) { return c.text("SELECT number FROM certificates WHERE id = ?", {id}); }))
    unmask_field(body, "number", personal::open(db, *stored), validate::mask_certificate_number);
  Input in(body);
  CertFields f = read_cert(in);
  return db.write([&](store::Conn& c) {
    json before = cert_by_id(c, who, id);
    check_cert(c, f, id);
    c.exec("UPDATE certificates SET person_id = ?, kind = ?, number = ?, number_hash = ?, issuer = ?, first_issued = ?, "
           "valid_until = ?, next_review = ?, status = ?, updated_at = ? WHERE id = ?",
           {f.person_id, f.kind, personal::seal(db, f.number), personal::lookup(db, f.number), f.issuer, f.first_issued,
            f.valid_until, opt_value(f.next_review), f.status, now_iso(), id});
    json after = cert_by_id(c, who, id);
    auto brief = [](const json& x) {
      return json{{"number", x["number"]}, {"kind", x["kind"]}, {"validUntil", x["validUntil"]}, {"nextReview", x["nextReview"]}, {"status", x["status"]}};
    };
    record(c, who, "certificate.update", "certificate", std::to_string(id), brief(before), brief(after));
    return after;
  });
}

json verify_certificate(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  std::string result = in.one_of("result", "核验结果", {"match", "mismatch", "not_found"});
  std::string note = in.opt_str("note", 200, "核验说明").value_or("");
  auto evidence = in.opt_str("evidence", 64, "核验截图");
  return db.write([&](store::Conn& c) {
    cert_by_id(c, who, id);
    if (evidence && !c.row("SELECT id FROM files WHERE id = ?", {*evidence}))
      throw bad_request("FILE_NOT_FOUND", "核验截图不存在，请重新上传", "evidence");
    c.exec("UPDATE certificates SET verified_at = ?, verified_by = ?, verify_result = ?, verify_note = ?, verify_evidence = ? "
           "WHERE id = ?",
           {now_iso(), who.name.empty() ? who.username : who.name, result, note, opt_value(evidence), id});
    json after = cert_by_id(c, who, id);
    record(c, who, "certificate.verify", "certificate", std::to_string(id), nullptr, after["verification"]);
    return after;
  });
}

// ---- import / export ----

namespace {
struct ImportColumn {
  const char* key;
  const char* chinese;
};
const ImportColumn kImportColumns[] = {
    {"name", "姓名"},           {"citizenId", "身份证号"},        {"phone", "手机号"},
    {"unitCreditCode", "单位统一社会信用代码"}, {"kind", "证书类型"}, {"number", "证书编号"},
    {"issuer", "发证机关"},     {"firstIssued", "初领日期"},      {"validUntil", "有效期至"},
    {"nextReview", "复审日期"}};

// CSV text → row objects keyed by the English column keys.
json csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> table;
  try {
    table = parse_csv(text);
  } catch (const std::invalid_argument&) {
    throw bad_request("INVALID_VALUE", "CSV 格式错误：引号未闭合", "csv");
  }
  if (table.empty()) throw bad_request("INVALID_VALUE", "CSV 内容为空", "csv");
  std::vector<std::string> keys;
  for (auto h : table[0]) {
    while (!h.empty() && (h.back() == ' ')) h.pop_back();
    std::string key;
    for (const auto& col : kImportColumns)
      if (h == col.key || h == col.chinese) key = col.key;
    if (key.empty()) throw bad_request("INVALID_VALUE", "CSV 表头含无法识别的列：" + h.substr(0, 40), "csv");
    keys.push_back(key);
  }
  json rows = json::array();
  for (size_t r = 1; r < table.size(); ++r) {
    json row = json::object();
    for (size_t i = 0; i < keys.size() && i < table[r].size(); ++i)
      if (!table[r][i].empty()) row[keys[i]] = table[r][i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

json import_certificates(store::Db& db, const Caller& who, const json& body) {
  Input in(body);
  std::string mode = in.one_of("mode", "导入方式", {"all", "valid_rows"});
  bool dry_run = in.opt_bool("dryRun").value_or(false);
  json rows;
  if (in.has("csv")) {
    if (!body["csv"].is_string()) throw bad_request("INVALID_TYPE", "csv 须为文本", "csv");
    rows = csv_rows(body["csv"].get<std::string>());
  } else if (in.has("rows")) {
    rows = body["rows"];
  } else {
    throw bad_request("REQUIRED", "请提供 csv 或 rows", "rows");
  }
  if (rows.size() > 5000) throw bad_request("TOO_MANY_ROWS", "一次最多导入 5000 行", "rows");

  return db.write([&](store::Conn& c) {
    std::map<std::string, std::string> kind_by_label;
    for (const auto& k : c.rows("SELECT value, label FROM dict_items WHERE type_code = 'certificate_type' AND enabled = 1")) {
      kind_by_label[k["value"]] = k["value"];
      kind_by_label[k["label"]] = k["value"];
    }
    // Pass 1: check every row; nothing is written.
    struct Ready {
      PersonFields person;
      CertFields cert;
    };
    std::vector<Ready> ready;
    json errors = json::array();
    std::set<std::string> seen_numbers;
    std::map<std::string, std::string> names_in_file;  // citizenId → name
    for (size_t i = 0; i < rows.size(); ++i) {
      try {
        json row = rows[i];
        if (!row.is_object()) throw bad_request("INVALID_TYPE", "该行须为对象", "");
        for (const auto& [k, v] : row.items()) {
          bool known = false;
          for (const auto& col : kImportColumns) known = known || k == col.key;
          if (!known) throw bad_request("UNKNOWN_FIELD", "不支持的列：" + k.substr(0, 40), k.substr(0, 40));
          if (!v.is_string() && !v.is_null()) throw bad_request("INVALID_TYPE", "该列须为文本", k);
        }
        if (row.contains("kind") && row["kind"].is_string()) {
          // A value, a label, or a part of exactly one label ("熔化焊接与热切割作业").
          std::string given = row["kind"];
          auto it = kind_by_label.find(given);
          std::set<std::string> partial;
          if (it == kind_by_label.end() && given.size() >= 12)  // at least four Chinese characters
            for (const auto& [label, value] : kind_by_label)
              if (label.find(given) != std::string::npos) partial.insert(value);
          if (it == kind_by_label.end() && partial.size() != 1) throw bad_request("INVALID_VALUE", "证书类型不在字典中", "kind");
          row["kind"] = it != kind_by_label.end() ? it->second : *partial.begin();
        }
        row["personId"] = 1;  // read_cert wants one; the real person is resolved below
        Input r(row);
        Ready item;
        item.person.name = r.str("name", 30, "姓名");
        item.person.citizen_id = normalized_citizen_id(r.str("citizenId", 18, "身份证号"));
        if (!validate::citizen_id(item.person.citizen_id)) throw bad_request("INVALID_VALUE", "身份证号无效", "citizenId");
        item.person.phone = read_mobile(r, "phone", "手机号", false);
        if (auto code = r.opt_str("unitCreditCode", 18, "单位统一社会信用代码")) {
          auto unit = c.row("SELECT id FROM units WHERE credit_code = ?", {*code});
          if (!unit) throw bad_request("UNIT_NOT_FOUND", "单位未登记：" + *code, "unitCreditCode");
          store::as_int(*unit, {"id"});
          item.person.unit_id = (*unit)["id"].get<long long>();
        }
        item.cert = read_cert(r);
        if (permit::special_operation_kind(item.cert.kind) && item.cert.number != "T" + item.person.citizen_id)
          throw bad_request("CERT_NUMBER_MISMATCH", "特种作业操作证编号应为 T 加身份证号（人证不符）", "number");
        if (!seen_numbers.insert(item.cert.kind + "|" + item.cert.number).second)
          throw bad_request("DUPLICATE_ROW", "文件中该证书重复出现", "number");
        if (c.row("SELECT id FROM certificates WHERE number_hash = ? AND kind = ?", {personal::lookup(db, item.cert.number), item.cert.kind}))
          throw conflict("CERT_NUMBER_TAKEN", "该证书已登记", "number");
        auto known_name = c.text("SELECT name FROM people WHERE citizen_id_hash = ?", {personal::lookup(db, item.person.citizen_id)});
        if (!known_name && names_in_file.count(item.person.citizen_id)) known_name = names_in_file[item.person.citizen_id];
        if (known_name && *known_name != item.person.name)
          throw bad_request("PERSON_NAME_MISMATCH", "该身份证号已登记为" + *known_name + "，姓名不一致", "name");
        names_in_file[item.person.citizen_id] = item.person.name;
        ready.push_back(std::move(item));
      } catch (const ApiError& e) {
        errors.push_back({{"row", i + 1}, {"field", e.field}, {"code", e.code}, {"message", e.what()}});
      }
    }
    // Pass 2: write, unless checking only or "all" found an error.
    long long imported = 0;
    if (!dry_run && (mode == "valid_rows" || errors.empty())) {
      for (auto& item : ready) {
        auto person_id = c.row("SELECT id FROM people WHERE citizen_id_hash = ?", {personal::lookup(db, item.person.citizen_id)});
        if (person_id) {
          store::as_int(*person_id, {"id"});
          item.cert.person_id = (*person_id)["id"];
        } else {
          std::string now = now_iso();
          item.cert.person_id = c.insert(
              "INSERT INTO people (name, citizen_id, citizen_id_hash, phone, phone_hash, unit_id, created_by, created_at, updated_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {item.person.name, personal::seal(db, item.person.citizen_id), personal::lookup(db, item.person.citizen_id),
               personal::seal(db, item.person.phone), personal::lookup(db, item.person.phone), opt_value(item.person.unit_id),
               who.user_id, now, now});
        }
        insert_cert(c, who, item.cert);
        ++imported;
      }
      if (imported > 0)
        record(c, who, "certificate.import", "certificate", "", nullptr,
               json{{"total", rows.size()}, {"imported", imported}, {"errors", errors.size()}});
    }
    return json{{"total", rows.size()}, {"valid", ready.size()}, {"imported", imported}, {"errors", errors}};
  });
}

std::string export_certificates_xlsx(store::Db& db, const Caller& who, const QueryMap& q) {
  Filter f = cert_filter(db, who, q);
  json rows = db.read([&](store::Conn& c) {
    json r = c.rows(std::string(kCertSelect) + f.sql + " ORDER BY c.valid_until, c.id" + limit_sql(100000), f.params);
    present_certs(db, r, who.has("person:pii") ? Pii::Full : Pii::Masked);
    return r;
  });
  static const std::map<std::string, std::string> state_labels = {
      {"valid", "有效"}, {"expiring", "临期"}, {"expired", "已过期"}, {"review_overdue", "逾期未复审"},
      {"suspended", "暂停"}, {"revoked", "注销"}};
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  return xlsx_sheet("证书台账",
                    {{"姓名", 18}, {"身份证号", 18}, {"证书类型", 18}, {"证书编号", 18}, {"发证机关", 18}, {"初领日期", 18},
                     {"有效期至", 18}, {"复审日期", 18}, {"状态", 18}, {"核验结果", 18}},
                    [&](XlsxRows& out) {
    for (const auto& c : rows) {
      std::string verify = c["verification"].is_object() ? text(c["verification"]["result"]) : "";
      verify = verify == "match" ? "一致" : verify == "mismatch" ? "不一致" : verify == "not_found" ? "查无此证" : "";
      out.add({text(c["personName"]), text(c["citizenId"]), text(c["kindLabel"]), text(c["number"]), text(c["issuer"]),
               text(c["firstIssued"]), text(c["validUntil"]), text(c["nextReview"]),
               state_labels.count(text(c["state"])) ? state_labels.at(text(c["state"])) : text(c["state"]), verify});
    }
  });
}

// ---- machines ----

namespace {
const char* kMachineSelect =
    "SELECT m.id, m.code, m.chip_id AS \"chipId\", m.unit_id AS \"unitId\", u.name AS \"unitName\", m.kind, "
    "k.label AS \"kindLabel\", m.model, m.status, m.created_at AS \"createdAt\" FROM machines m "
    "JOIN units u ON u.id = m.unit_id LEFT JOIN dict_items k ON k.type_code = 'machine_kind' AND k.value = m.kind";

void check_chip_format(const std::string& chip_id) {
  static const std::regex chip_re("^[A-Za-z0-9:_-]{4,64}$");
  if (!std::regex_match(chip_id, chip_re)) throw bad_request("INVALID_VALUE", "芯片编号格式不正确", "chipId");
}

void refuse_taken_chip(store::Conn& c, const std::string& chip_id, long long self_id) {
  if (c.row("SELECT id FROM machines WHERE chip_id = ? AND id <> ?", {chip_id, self_id}))
    throw conflict("CHIP_ID_TAKEN", "该芯片已绑定其他焊机", "chipId");
}

struct MachineFields {
  std::string code, kind, model, status;
  std::optional<std::string> chip_id;
  long long unit_id;
};
MachineFields read_machine(Input& in) {
  MachineFields f;
  f.code = in.str("code", 32, "焊机编码");
  for (char& ch : f.code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const std::regex code_re("^[A-Z0-9-]{4,32}$");
  if (!std::regex_match(f.code, code_re)) throw bad_request("INVALID_VALUE", "焊机编码须为 4-32 位大写字母、数字或连字符", "code");
  f.chip_id = in.opt_str("chipId", 64, "芯片编号");
  if (f.chip_id) check_chip_format(*f.chip_id);
  f.unit_id = in.integer("unitId", "产权单位");
  f.kind = in.str("kind", 40, "焊机类型");
  f.model = in.opt_str("model", 60, "型号").value_or("");
  f.status = in.has("status") ? in.one_of("status", "状态", {"active", "locked", "retired"}) : "active";
  return f;
}

void check_machine(store::Conn& c, const Caller& who, const MachineFields& f, long long self_id) {
  if (!unit_visible(c, who, f.unit_id)) throw bad_request("UNIT_NOT_FOUND", "产权单位不存在", "unitId");
  dict_label(c, "machine_kind", f.kind, "kind", "焊机类型");
  if (c.row("SELECT id FROM machines WHERE code = ? AND id <> ?", {f.code, self_id}))
    throw conflict("MACHINE_CODE_TAKEN", "该焊机编码已登记", "code");
  if (f.chip_id) refuse_taken_chip(c, *f.chip_id, self_id);
}
}  // namespace

std::string machine_scope(const Caller& who, store::Params& p) {
  return store::scope_condition(who, {}, {"m.created_by", my_unit("m.unit_id")}, p);
}

json machine_by_id(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = machine_scope(who, p);
  json rows = c.rows(std::string(kMachineSelect) + " WHERE m.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  store::as_int(rows, {"id", "unitId"});
  return rows[0];
}

json register_machine(store::Conn& c, const Caller& who, const json& body) {
  Input in(body);
  MachineFields f = read_machine(in);
  check_machine(c, who, f, 0);
  std::string now = now_iso();
  long long id = c.insert(
      "INSERT INTO machines (code, chip_id, unit_id, kind, model, status, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {f.code, opt_value(f.chip_id), f.unit_id, f.kind, f.model, f.status, who.user_id, now, now});
  json after = machine_by_id(c, who, id);
  record(c, who, "machine.create", "machine", std::to_string(id), nullptr, after);
  return after;
}

json set_machine_chip_status(store::Conn& c, const Caller& who, long long id, const std::optional<std::string>& chip_id,
                             const std::string& status) {
  json before = machine_by_id(c, who, id);
  if (chip_id) {
    check_chip_format(*chip_id);
    refuse_taken_chip(c, *chip_id, id);
  }
  c.exec("UPDATE machines SET chip_id = ?, status = ?, updated_at = ? WHERE id = ?",
         {chip_id ? store::Value(*chip_id) : store::value_of(before["chipId"]), status, now_iso(), id});
  json after = machine_by_id(c, who, id);
  record(c, who, "machine.update", "machine", std::to_string(id), before, after);
  return after;
}

json list_machines(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + machine_scope(who, f.params);
  if (auto v = query_str(q, "q")) f.add("(m.code LIKE ? OR m.model LIKE ? OR m.chip_id = ?)", "%" + *v + "%", "%" + *v + "%", *v);
  if (auto v = query_int(q, "unitId")) f.add("m.unit_id = ?", *v);
  if (auto v = query_str(q, "kind")) f.add("m.kind = ?", *v);
  if (auto v = query_bool(q, "chipped")) f.sql += *v ? " AND m.chip_id IS NOT NULL" : " AND m.chip_id IS NULL";
  if (auto v = query_str(q, "status")) {
    if (*v != "active" && *v != "locked" && *v != "retired") throw bad_request("INVALID_VALUE", "焊机状态无效", "status");
    f.add("m.status = ?", *v);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kMachineSelect, "FROM machines m", f, "m.id", p);
    store::as_int(out["items"], {"id", "unitId"});
    return out;
  });
}

json get_machine(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return machine_by_id(c, who, id); });
}

json create_machine(store::Db& db, const Caller& who, const json& body) {
  return db.write([&](store::Conn& c) { return register_machine(c, who, body); });
}

json update_machine(store::Db& db, const Caller& who, long long id, const json& body) {
  Input in(body);
  MachineFields f = read_machine(in);
  return db.write([&](store::Conn& c) {
    json before = machine_by_id(c, who, id);
    check_machine(c, who, f, id);
    c.exec("UPDATE machines SET code = ?, chip_id = ?, unit_id = ?, kind = ?, model = ?, status = ?, updated_at = ? WHERE id = ?",
           {f.code, opt_value(f.chip_id), f.unit_id, f.kind, f.model, f.status, now_iso(), id});
    json after = machine_by_id(c, who, id);
    record(c, who, "machine.update", "machine", std::to_string(id), before, after);
    return after;
  });
}

}  // namespace huoyan::app
