#include "app/alerts.h"

#include "app/audit.h"
#include "app/input.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "store/scope.h"

namespace huoyan::app {

using nlohmann::json;

namespace {
const char* kAlertSelect =
    "SELECT a.id, a.kind, k.label AS \"kindLabel\", a.severity, a.source_type AS \"sourceType\", "
    "a.source_id AS \"sourceId\", a.venue_id AS \"venueId\", v.name AS \"venueName\", a.title, a.detail, a.state, "
    "a.opened_at AS \"openedAt\", a.acknowledged_at AS \"acknowledgedAt\", a.closed_at AS \"closedAt\", a.result "
    "FROM alerts a LEFT JOIN venues v ON v.id = a.venue_id "
    "LEFT JOIN dict_items k ON k.type_code = 'alert_kind' AND k.value = a.kind";

std::string alert_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = a.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = a.venue_id"},
      {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = a.venue_id)"}, p);
}

json alert_by_id(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = alert_scope(who, p);
  json rows = c.rows(std::string(kAlertSelect) + " WHERE a.id = ? AND " + cond, p);
  if (rows.empty()) throw not_found();
  store::as_int(rows, {"id", "venueId"});
  return rows[0];
}
}  // namespace

bool open_alert(store::Conn& c, const NewAlert& a) {
  if (c.row("SELECT id FROM alerts WHERE source_type = ? AND source_id = ? AND kind = ? AND state IN ('open', 'acknowledged')",
            {a.source_type, a.source_id, a.kind}))
    return false;
  c.insert("INSERT INTO alerts (kind, severity, source_type, source_id, venue_id, title, detail, state, opened_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
           {a.kind, a.severity, a.source_type, a.source_id, a.venue_id ? store::Value(*a.venue_id) : store::Value(nullptr),
            a.title, a.detail, clock::iso_utc(clock::now())});
  return true;
}

json list_alerts(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + alert_scope(who, f.params);
  if (auto v = query_str(q, "state")) f.add("a.state = ?", *v);
  if (auto v = query_str(q, "kind")) f.add("a.kind = ?", *v);
  if (auto v = query_str(q, "sourceType")) f.add("a.source_type = ?", *v);
  if (auto v = query_str(q, "sourceId")) f.add("a.source_id = ?", *v);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kAlertSelect, "FROM alerts a", f, "a.id DESC", p);
    store::as_int(out["items"], {"id", "venueId"});
    return out;
  });
}

json acknowledge_alert(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    json before = alert_by_id(c, who, id);
    if (before["state"] != "open") throw conflict("ALERT_STATE_INVALID", "只能确认未处理的预警");
    c.exec("UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ?",
           {clock::iso_utc(clock::now()), who.user_id, id});
    json after = alert_by_id(c, who, id);
    record(c, who, "alert.acknowledge", "alert", std::to_string(id), json{{"state", "open"}}, json{{"state", "acknowledged"}});
    return after;
  });
}

json handle_alert(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Input in(body);
  std::string result = in.str("result", 500, "处置结果");
  bool false_alarm = in.opt_bool("falseAlarm").value_or(false);
  return db.write([&](store::Conn& c) {
    json before = alert_by_id(c, who, id);
    if (before["state"] != "open" && before["state"] != "acknowledged")
      throw conflict("ALERT_STATE_INVALID", "该预警已处置完毕");
    std::string state = false_alarm ? "false_alarm" : "handled";
    c.exec("UPDATE alerts SET state = ?, closed_at = ?, closed_by = ?, result = ? WHERE id = ?",
           {state, clock::iso_utc(clock::now()), who.user_id, result, id});
    json after = alert_by_id(c, who, id);
    record(c, who, "alert.handle", "alert", std::to_string(id), json{{"state", before["state"]}},
           json{{"state", state}, {"result", result}});
    return after;
  });
}

}  // namespace huoyan::app
