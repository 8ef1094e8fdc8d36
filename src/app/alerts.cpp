#include "app/alerts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/audit.h"
#include "app/files.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/registries.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/machine_rules.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

using nlohmann::json;

namespace {
const char* kAlertSelect =
    "SELECT a.id, a.kind, k.label AS \"kindLabel\", a.severity, a.source_type AS \"sourceType\", "
    "a.source_id AS \"sourceId\", a.source_label AS \"sourceLabel\", a.venue_id AS \"venueId\", v.name AS \"venueName\", "
    "a.title, a.detail, a.state, a.opened_at AS \"openedAt\", a.acknowledged_at AS \"acknowledgedAt\", "
    "a.closed_at AS \"closedAt\", a.updated_at AS \"updatedAt\", a.result, a.photos "
    "FROM alerts a LEFT JOIN venues v ON v.id = a.venue_id "
    "LEFT JOIN dict_items k ON k.type_code = 'alert_kind' AND k.value = a.kind";

std::string alert_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = a.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = a.venue_id"},
      {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = a.venue_id)"}, p);
}

json& present(json& rows) {
  store::as_int(rows, {"id", "venueId"});
  for (auto& r : rows) r["photos"] = json::parse(r["photos"].get<std::string>());
  return rows;
}

json alert_by_id(store::Conn& c, const access::Caller& who, long long id) {
  json rows = alerts_by_ids(c, who, {id});
  if (rows.empty()) throw not_found();
  return rows[0];
}

int severity_rank(const std::string& s) { return s == "critical" ? 3 : s == "warning" ? 2 : 1; }
using clock::now_iso;
}  // namespace

bool open_alert(store::Conn& c, const NewAlert& a) {
  auto open = c.row("SELECT id, severity FROM alerts WHERE source_type = ? AND source_id = ? AND kind = ? "
                    "AND state IN ('open', 'acknowledged')",
                    {a.source_type, a.source_id, a.kind});
  if (open) {
    if (severity_rank(a.severity) > severity_rank((*open)["severity"]))
      c.exec("UPDATE alerts SET severity = ?, title = ?, detail = ?, state = 'open', updated_at = ?, revision = revision + 1 WHERE id = ?",
             {a.severity, a.title, a.detail, now_iso(), store::as_id((*open)["id"])});
    return false;
  }
  std::string now = now_iso();
  c.defer("INSERT INTO alerts (kind, severity, source_type, source_id, source_label, venue_id, title, detail, state, "
           "opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
           {a.kind, a.severity, a.source_type, a.source_id, a.source_label,
            a.venue_id ? store::Value(*a.venue_id) : store::Value(nullptr), a.title, a.detail, now, now});
  std::string link = a.source_type == "hazard" || a.source_type == "report" || a.source_type == "permit"
                         ? "/" + a.source_type + "s/" + a.source_id
                         : "/alerts?sourceType=" + a.source_type;
  Notice n{"alert." + a.severity, a.title, a.detail, link, a.tell_venue ? a.venue_id : std::nullopt, a.departments,
           a.escalate || a.severity == "critical"};
  n.permission = "alert:read";
  if (a.venue_id)
    for (long long d : venue_departments(c, *a.venue_id)) n.departments.push_back(d);
  notify(c, n);
  return true;
}

json list_alerts(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + alert_scope(who, f.params);
  if (auto v = query_str(q, "state")) f.add("a.state = ?", *v);
  if (auto v = query_str(q, "kind")) f.add("a.kind = ?", *v);
  if (auto v = query_str(q, "severity")) f.add("a.severity = ?", *v);
  if (auto v = query_str(q, "sourceType")) f.add("a.source_type = ?", *v);
  if (auto v = query_str(q, "sourceId")) f.add("a.source_id = ?", *v);
  if (auto v = query_int(q, "venueId")) f.add("a.venue_id = ?", *v);
  if (auto v = query_bool(q, "active")) f.sql += *v ? " AND a.state IN ('open', 'acknowledged')" : " AND a.state IN ('handled', 'false_alarm')";
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kAlertSelect, "FROM alerts a", f, "a.id DESC", p);
    present(out["items"]);
    return out;
  });
}

json alerts_by_ids(store::Conn& c, const access::Caller& who, const std::vector<long long>& ids) {
  if (ids.empty()) return json::array();
  store::Params p;
  std::string in = store::in_list(ids, p);
  std::string cond = alert_scope(who, p);
  json rows = c.rows(std::string(kAlertSelect) + " WHERE a.id IN " + in + " AND " + cond + " ORDER BY a.updated_at, a.id", p);
  return present(rows);
}

json alert_changes(store::Conn& c, const access::Caller& who, const std::string& since) {
  store::Params p{since};
  std::string cond = alert_scope(who, p);
  json rows = c.rows(std::string(kAlertSelect) + " WHERE a.updated_at >= ? AND " + cond + " ORDER BY a.updated_at, a.id LIMIT 200", p);
  return present(rows);
}

json acknowledge_alert(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    json before = alert_by_id(c, who, id);
    if (before["state"] != "open") throw conflict("ALERT_STATE_INVALID", "只能确认未处理的预警");
    std::string now = now_iso();
    c.exec("UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
           {now, who.user_id, now, id});
    json after = alert_by_id(c, who, id);
    record(c, who, "alert.acknowledge", "alert", std::to_string(id), json{{"state", "open"}}, json{{"state", "acknowledged"}});
    return after;
  });
}

json handle_alert(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Input in(body);
  std::string result = in.str("result", 500, "处置结果");
  bool false_alarm = in.opt_bool("falseAlarm").value_or(false);
  json photos = read_file_ids(body, "photos", 9);
  return db.write([&](store::Conn& c) {
    check_files_exist(c, photos, "photos");
    json before = alert_by_id(c, who, id);
    if (before["state"] != "open" && before["state"] != "acknowledged")
      throw conflict("ALERT_STATE_INVALID", "该预警已处置完毕");
    std::string state = false_alarm ? "false_alarm" : "handled";
    std::string now = now_iso();
    c.exec("UPDATE alerts SET state = ?, closed_at = ?, closed_by = ?, result = ?, photos = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
           {state, now, who.user_id, result, photos.dump(), now, id});
    json after = alert_by_id(c, who, id);
    record(c, who, "alert.handle", "alert", std::to_string(id), json{{"state", before["state"]}},
           json{{"state", state}, {"result", result}, {"photos", photos}});
    return after;
  });
}

namespace {

// The part of the map asked for (?minLat=&minLng=&maxLat=&maxLng=, all four or none).
struct MapBox {
  double min_lat, min_lng, max_lat, max_lng;
};

std::optional<MapBox> map_box(const QueryMap& q) {
  auto min_lat = query_number(q, "minLat", -90, 90), max_lat = query_number(q, "maxLat", -90, 90);
  auto min_lng = query_number(q, "minLng", -180, 180), max_lng = query_number(q, "maxLng", -180, 180);
  if (!min_lat && !min_lng && !max_lat && !max_lng) return std::nullopt;
  for (auto [value, key] : {std::pair{&min_lat, "minLat"}, {&min_lng, "minLng"}, {&max_lat, "maxLat"}, {&max_lng, "maxLng"}})
    if (!*value) throw bad_request("REQUIRED", "地图范围须同时给出 minLat、minLng、maxLat、maxLng", key);
  if (*max_lat < *min_lat) throw bad_request("INVALID_VALUE", "地图范围的 maxLat 不能小于 minLat", "maxLat");
  if (*max_lng < *min_lng) throw bad_request("INVALID_VALUE", "地图范围的 maxLng 不能小于 minLng", "maxLng");
  return MapBox{*min_lat, *min_lng, *max_lat, *max_lng};
}

// " AND <lat> BETWEEN ? AND ? AND <lng> BETWEEN ? AND ?" with its values, or nothing without a box.
std::string box_condition(const std::optional<MapBox>& box, const std::string& lat, const std::string& lng, store::Params& p) {
  if (!box) return "";
  for (double v : {box->min_lat, box->max_lat, box->min_lng, box->max_lng}) p.emplace_back(v);
  return " AND " + lat + " BETWEEN ? AND ? AND " + lng + " BETWEEN ? AND ?";
}

struct Extent {
  double min_lat = 90, min_lng = 180, max_lat = -90, max_lng = -180;
  bool empty() const { return min_lat > max_lat; }
  void add(double lat, double lng) {
    min_lat = std::min(min_lat, lat), max_lat = std::max(max_lat, lat);
    min_lng = std::min(min_lng, lng), max_lng = std::max(max_lng, lng);
  }
  json to_json() const {
    if (empty()) return nullptr;
    return {{"minLat", min_lat}, {"minLng", min_lng}, {"maxLat", max_lat}, {"maxLng", max_lng}};
  }
};

// The venues as a grid of clusters over their extent, each with its venues' centre, extent and alert counts; empty
// cells are left out. `select` reads lat, lng and n (the venue's open alerts); `all` is grown by every venue.
json venue_clusters(store::Conn& c, const std::string& select, const store::Params& p, Extent& all) {
  struct Spot {
    double lat, lng;
    long long alerts;
  };
  std::vector<Spot> spots;
  c.each_view(select, p, [&](const store::RowView& r) {
    spots.push_back({r.real("lat"), r.real("lng"), r.integer("n")});
    all.add(spots.back().lat, spots.back().lng);
  });
  if (spots.empty()) return json::array();
  // Cells about square on the ground, 6 along the longer side: at most 36 discs, which a phone's map still separates.
  const int cells_along = 6;
  double height = all.max_lat - all.min_lat, width = (all.max_lng - all.min_lng) * std::cos((all.min_lat + all.max_lat) / 2 * M_PI / 180);
  double longer = std::max({height, width, 1e-9});
  const int rows = std::max(1, static_cast<int>(std::lround(cells_along * height / longer)));
  const int columns = std::max(1, static_cast<int>(std::lround(cells_along * width / longer)));
  struct Cell {
    Extent extent;
    double lat_sum = 0, lng_sum = 0;
    long long venues = 0, alerting = 0, alerts = 0;
  };
  std::map<std::pair<int, int>, Cell> cells;  // by (row, column)
  auto index = [](double v, double lo, double hi, int n) {
    return hi > lo ? std::min(n - 1, static_cast<int>((v - lo) / (hi - lo) * n)) : 0;
  };
  for (const Spot& s : spots) {
    Cell& cell = cells[{index(s.lat, all.min_lat, all.max_lat, rows), index(s.lng, all.min_lng, all.max_lng, columns)}];
    cell.extent.add(s.lat, s.lng);
    cell.lat_sum += s.lat, cell.lng_sum += s.lng;
    ++cell.venues, cell.alerts += s.alerts, cell.alerting += s.alerts > 0;
  }
  json out = json::array();
  for (const auto& [at, cell] : cells)
    out.push_back({{"lat", cell.lat_sum / cell.venues}, {"lng", cell.lng_sum / cell.venues}, {"venues", cell.venues},
                   {"venuesAlerting", cell.alerting}, {"openAlerts", cell.alerts}, {"bounds", cell.extent.to_json()}});
  return out;
}

}  // namespace

json town_map(store::Db& db, const access::Caller& who, const QueryMap& q) {
  std::optional<MapBox> box = map_box(q);
  long long venue_limit = 400;
  if (auto v = query_int(q, "venueLimit")) {
    if (*v < 1 || *v > 2000) throw bad_request("INVALID_VALUE", "venueLimit 应在 1 到 2000 之间", "venueLimit");
    venue_limit = *v;
  }
  return db.read([&](store::Conn& c) {
    store::Params vp;
    std::string where = " WHERE v.lat IS NOT NULL AND v.lng IS NOT NULL AND " + venue_scope(who, vp);
    where += box_condition(box, "v.lat", "v.lng", vp);
    // Counted once for all venues: a count per venue read every alert once per venue (37 s at city scale).
    const std::string with_alerts =
        "FROM venues v LEFT JOIN (SELECT venue_id, COUNT(*) AS n FROM alerts WHERE state IN ('open', 'acknowledged') "
        "GROUP BY venue_id) oa ON oa.venue_id = v.id ";
    Extent extent;
    json venues = json::array(), clusters = json::array();
    // More venues than a screen can show (a city): clusters instead, which the map opens by asking for their box.
    if (c.scalar("SELECT COUNT(*) FROM venues v" + where, vp) > venue_limit) {
      clusters = venue_clusters(c, "SELECT v.lat, v.lng, COALESCE(oa.n, 0) AS n " + with_alerts + where, vp, extent);
    } else {
      venues = c.rows("SELECT v.id, v.name, v.type, t.label AS \"typeLabel\", v.lat, v.lng, v.geofence_radius AS \"geofenceRadius\", "
                      "COALESCE(oa.n, 0) AS \"openAlerts\" " + with_alerts +
                      "LEFT JOIN dict_items t ON t.type_code = 'venue_type' AND t.value = v.type" + where + " ORDER BY v.id",
                      vp);
      store::as_int(venues, {"id", "geofenceRadius", "openAlerts"});
      for (const auto& v : venues) extent.add(v["lat"].get<double>(), v["lng"].get<double>());
    }
    // Open machine alerts the caller may see, by machine.
    store::Params ap;
    std::string acond = alert_scope(who, ap);
    std::map<std::string, json> alerts_of;
    for (auto& a : c.rows("SELECT a.id, a.kind, k.label AS \"kindLabel\", a.severity, a.title, a.source_id AS machine "
                          "FROM alerts a LEFT JOIN dict_items k ON k.type_code = 'alert_kind' AND k.value = a.kind "
                          "WHERE a.source_type = 'machine' AND a.state IN ('open', 'acknowledged') AND " + acond + " ORDER BY a.id",
                          ap)) {
      std::string machine = a["machine"];
      a.erase("machine");
      a["id"] = store::as_id(a["id"]);
      alerts_of[machine].push_back(a);
    }
    // Machines with a position: powered or alerting ones first, so a city-size fleet stays readable.
    store::Params mp;
    json machines = c.rows(
        "SELECT m.id, m.code, st.lat, st.lng, st.power_on AS \"powerOn\", st.last_at AS \"lastAt\", p.venue_id AS \"venueId\", "
        "v.name AS \"venueName\", s.permit_id AS \"permitId\", p.number AS \"permitNumber\", s.until "
        "FROM machines m JOIN machine_state st ON st.machine_id = m.id "
        "LEFT JOIN machine_sessions s ON s.machine_id = m.id AND s.ended_at IS NULL "
        "LEFT JOIN permits p ON p.id = s.permit_id LEFT JOIN venues v ON v.id = p.venue_id "
        "WHERE st.lat IS NOT NULL AND m.status <> 'retired'" + box_condition(box, "st.lat", "st.lng", mp) +
        " ORDER BY st.power_on DESC, m.id LIMIT 2000", mp);
    store::as_int(machines, {"id", "venueId", "permitId"});
    store::as_bool(machines, {"powerOn"});
    for (auto& m : machines) {
      extent.add(m["lat"].get<double>(), m["lng"].get<double>());
      auto it = alerts_of.find(std::to_string(m["id"].get<long long>()));
      m["openAlerts"] = it == alerts_of.end() ? json::array() : it->second;
      m["session"] = m["permitId"].is_null() ? json(nullptr)
                                             : json{{"permitId", m["permitId"]}, {"permitNumber", m["permitNumber"]}, {"until", m["until"]}};
      for (const char* k : {"permitId", "permitNumber", "until"}) m.erase(k);
    }
    return json{{"venues", venues}, {"clusters", clusters}, {"machines", machines}, {"bounds", extent.to_json()}};
  });
}

int run_certificate_expiry(store::Db& db) {
  std::string today = clock::today();
  return db.write([&](store::Conn& c) {
    if (c.exec("INSERT INTO job_days (name, day) VALUES ('certificate_expiry', ?) ON CONFLICT DO NOTHING", {today}) == 0) return 0;
    // PostgreSQL: plan each lookup of an open alert for the table as it now is. The plan kept for the prepared
    // statement may date from a nearly empty table (a new city: a sequential scan), while this run may open
    // thousands of alerts, each looked up first (at city scale the run took minutes instead of seconds).
    if (c.dialect() == store::Dialect::Postgres) c.exec("SET LOCAL plan_cache_mode = force_custom_plan");
    int changes = 0;
    // Alerts of certificates that were renewed, suspended or revoked since: nothing left to warn of.
    std::string horizon = clock::add_days(today, 60);
    for (const auto& a : c.rows("SELECT a.id FROM alerts a JOIN certificates ce ON " +
                                std::string(c.dialect() == store::Dialect::Sqlite ? "CAST(ce.id AS TEXT)" : "ce.id::text") +
                                " = a.source_id WHERE a.source_type = 'certificate' AND a.state IN ('open', 'acknowledged') "
                                "AND (ce.valid_until > ? OR ce.status <> 'valid')",
                                {horizon})) {
      c.exec("UPDATE alerts SET state = 'handled', closed_at = ?, result = '证书已更新或已不在用，预警自动解除', updated_at = ?, revision = revision + 1 WHERE id = ?",
             {now_iso(), now_iso(), store::as_id(a["id"])});
      ++changes;
    }
    for (const auto& ce : c.rows("SELECT ce.id, ce.number, ce.valid_until, k.label AS kind, p.name FROM certificates ce "
                                 "JOIN people p ON p.id = ce.person_id "
                                 "LEFT JOIN dict_items k ON k.type_code = 'certificate_type' AND k.value = ce.kind "
                                 "WHERE ce.status = 'valid' AND ce.valid_until <= ?",
                                 {horizon})) {
      std::string until = ce["valid_until"];
      auto warning = machine::certificate_warning(until, today);
      if (!warning) continue;
      std::string id = std::to_string(store::as_id(ce["id"]));
      std::string what = ce["name"].get<std::string>() + "的" + (ce["kind"].is_string() ? ce["kind"].get<std::string>() : "证书") +
                         "（" + validate::mask_certificate_number(personal::open(c.db(), ce["number"].get<std::string>())) + "）";
      if (*warning == "expired") {
        c.defer("UPDATE alerts SET state = 'handled', closed_at = ?, result = '证书已到期，转为证书到期预警', updated_at = ?, revision = revision + 1 "
               "WHERE source_type = 'certificate' AND source_id = ? AND kind = 'cert_expiring' AND state IN ('open', 'acknowledged')",
               {now_iso(), now_iso(), id});
        changes += open_alert(c, {"cert_expired", "critical", "certificate", id, std::nullopt,
                                  "证书到期：" + what + "已于 " + until + " 到期，不得再上岗作业", "", ce["name"]});
      } else {
        int days = clock::days_between(today, until);
        changes += open_alert(c, {"cert_expiring", *warning == "expiring_30" ? "warning" : "info", "certificate", id, std::nullopt,
                                  "证书临期：" + what + "将于 " + until + " 到期（剩 " + std::to_string(days) + " 天），请及时复审换证",
                                  "", ce["name"]});
      }
    }
    return changes;
  });
}

}  // namespace huoyan::app
