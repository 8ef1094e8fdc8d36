#include "app/hazards.h"

#include <algorithm>

#include "app/alerts.h"
#include "app/audit.h"
#include "app/files.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/print.h"
#include "app/registries.h"
#include "app/rules.h"
#include "app/xlsx.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/hazard.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

using hazard::Command;
using hazard::State;

namespace {

using clock::now_iso;

const std::string kHazardFrom =
    " FROM hazards h JOIN venues v ON v.id = h.venue_id JOIN org_units vo ON vo.id = v.org_unit_id "
    "JOIN hazard_categories hc ON hc.code = h.category LEFT JOIN units ru ON ru.id = h.responsible_unit_id "
    "LEFT JOIN org_units so ON so.id = h.supervisor_org_unit_id";

const std::string kHazardSelect =
    "SELECT h.id, h.number, h.source, h.venue_id AS \"venueId\", v.name AS \"venueName\", vo.name AS \"villageName\", "
    "v.org_unit_id AS \"villageId\", h.category, hc.label AS \"categoryLabel\", h.severity, h.decision_record AS \"decisionRecord\", "
    "h.description, h.location, h.photos, h.found_by AS \"foundBy\", h.found_at AS \"foundAt\", "
    "h.responsible_unit_id AS \"responsibleUnitId\", ru.name AS \"responsibleUnitName\", h.responsible_person AS \"responsiblePerson\", "
    "h.responsible_phone AS \"responsiblePhone\", h.supervisor_org_unit_id AS \"supervisorOrgUnitId\", so.name AS \"supervisorName\", "
    "h.deadline, h.interim_measures AS \"interimMeasures\", h.funds, h.state, h.overdue, h.supervision, h.rectification, h.recheck, "
    "h.report_id AS \"reportId\", h.notice_seq AS \"noticeSeq\", h.created_at AS \"createdAt\", h.updated_at AS \"updatedAt\", h.version" +
    kHazardFrom;

// The venue's scope and the supervising department; in any scope, the hazards the caller recorded.
std::string hazard_scope(const access::Caller& who, store::Params& p) {
  std::string venue = store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = h.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = h.venue_id", "h.supervisor_org_unit_id"},
      {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = h.venue_id)"}, p);
  p.emplace_back(who.user_id);
  return "(" + venue + " OR h.found_by_user_id = ?)";
}

const std::map<std::string, std::string>& source_labels() {
  static const std::map<std::string, std::string> m = {
      {"inspection", "检查"}, {"patrol", "巡查"}, {"report", "举报"}, {"device", "设备预警"}, {"self_check", "自查"}};
  return m;
}
const std::map<std::string, std::string>& supervision_levels() {
  static const std::map<std::string, std::string> m = {{"town", "镇级"}, {"district", "区县级"}, {"city", "市级"}};
  return m;
}

std::string town_name(store::Conn& c) {
  return *c.db().cached<std::string>(store::Topic::Access, "town_name", [&] {
    return c.text("SELECT name FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1").value_or("");
  });
}

// 限期改正通知书 are numbered within the (local) year the hazard was recorded.
std::string notice_year(const json& created_at) { return clock::local_date(*clock::parse_iso(created_at.get<std::string>())).substr(0, 4); }

std::string notice_number(store::Conn& c, const json& h) {
  if (!h["noticeSeq"].is_number()) return "";
  std::string year = notice_year(h["createdAt"]);
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04lld", h["noticeSeq"].get<long long>());
  // 金凤镇 → 金凤消限〔2026〕0001号
  std::string town = town_name(c);
  for (std::string suffix : {"街道", "镇", "乡"})
    if (town.size() > suffix.size() && town.compare(town.size() - suffix.size(), suffix.size(), suffix) == 0) {
      town.resize(town.size() - suffix.size());
      break;
    }
  return town + "消限〔" + year + "〕" + seq + "号";
}

void present(store::Conn& c, const access::Caller& who, json& h) {
  store::as_int(h, {"id", "venueId", "villageId", "responsibleUnitId", "supervisorOrgUnitId", "reportId", "noticeSeq", "version"});
  store::as_bool(h, {"overdue"});
  State s = *hazard::parse_state(h["state"].get<std::string>());
  h["stateLabel"] = hazard::state_label(s);
  h["sourceLabel"] = source_labels().at(h["source"].get<std::string>());
  h["severityLabel"] = h["severity"] == "major" ? "重大" : "一般";
  h["photos"] = json::parse(h["photos"].get<std::string>());
  for (const char* f : {"supervision", "rectification", "recheck"})
    h[f] = h[f].is_string() ? json::parse(h[f].get<std::string>()) : json(nullptr);
  if (h["supervision"].is_object()) h["supervision"]["levelLabel"] = supervision_levels().at(h["supervision"]["level"].get<std::string>());
  store::as_number(h, {"funds"});
  personal::open_phones(c.db(), h, {"responsiblePhone"}, who.has("person:pii"));
  h["noticeNumber"] = notice_number(c, h);
  if (h["noticeNumber"] == "") h["noticeNumber"] = nullptr;
  h.erase("noticeSeq");
}

json scoped_row(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = hazard_scope(who, p);
  auto row = c.row(std::string(kHazardSelect) + " WHERE h.id = ? AND " + cond, p);
  if (!row) throw not_found();
  return *row;
}

void add_event(store::Conn& c, const access::Caller& who, long long id, const std::string& action, const std::string& note) {
  c.insert("INSERT INTO hazard_events (hazard_id, at, action, user_id, by_name, note) VALUES (?, ?, ?, ?, ?, ?)",
           {id, now_iso(), action, who.user_id ? store::Value(who.user_id) : store::Value(nullptr),
            who.name.empty() ? std::string("系统") : who.name, note});
}

const std::map<std::string, std::string>& action_labels() {
  static const std::map<std::string, std::string> m = {
      {"report", "登记"},   {"assign", "交办"},     {"rectify", "整改"},        {"recheck_passed", "复查合格，销号"},
      {"recheck_failed", "复查不合格"}, {"reopen", "重新打开"}, {"supervise", "挂牌督办"}, {"unsupervise", "摘牌销案"},
      {"overdue", "逾期未整改"}};
  return m;
}


Filter hazard_filter(const access::Caller& who, const QueryMap& q) {
  Filter f;
  f.sql += " AND " + hazard_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (!hazard::parse_state(*v)) throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("h.state = ?", *v);
  }
  auto one_of = [&](const char* key, std::initializer_list<const char*> allowed) {
    auto v = query_str(q, key);
    if (v && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) throw bad_request("INVALID_VALUE", "筛选条件无效", key);
    return v;
  };
  if (auto v = query_int(q, "venueId")) f.add("h.venue_id = ?", *v);
  if (auto v = query_int(q, "orgUnitId")) f.add("h.supervisor_org_unit_id = ?", *v);
  if (auto v = query_int(q, "villageId")) f.add("v.org_unit_id = ?", *v);
  if (auto v = one_of("severity", {"general", "major"})) f.add("h.severity = ?", *v);
  if (auto v = query_str(q, "category")) f.add("h.category = ?", *v);
  if (auto v = one_of("source", {"inspection", "patrol", "report", "device", "self_check"})) f.add("h.source = ?", *v);
  if (auto v = query_bool(q, "overdue")) f.sql += *v ? " AND h.overdue = 1" : " AND h.overdue = 0";  // literal: see hazards_overdue
  if (auto v = query_bool(q, "supervised")) f.sql += *v ? " AND h.supervision IS NOT NULL" : " AND h.supervision IS NULL";
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(h.number LIKE ? OR h.description LIKE ? OR v.name LIKE ?)", like, like, like);
  }
  add_time_range(f, q, "h.found_at");
  return f;
}

// The alert of a hazard that is no longer overdue is settled, with the reason.
void settle_overdue_alert(store::Conn& c, long long id, const std::string& result) {
  std::string now = now_iso();
  c.exec("UPDATE alerts SET state = 'handled', closed_at = ?, result = ?, updated_at = ?, revision = revision + 1 "
         "WHERE source_type = 'hazard' AND source_id = ? AND kind = 'hazard_overdue' AND state IN ('open', 'acknowledged')",
         {now, result, now, std::to_string(id)});
}

}  // namespace

std::string read_severity(Input& in, std::optional<std::string>& decision, const char* reported_as) {
  std::string severity = in.has("severity") ? in.one_of("severity", "隐患等级", {"general", "major"}) : "general";
  decision = in.opt_str("decisionRecord", 500, "集体研究记录");
  if (severity == "major" && (!decision || decision->size() < 4))
    throw bad_request("MAJOR_NEEDS_DECISION", "重大火灾隐患须经集体研究判定，请填写集体研究记录（会议时间、参加人员、结论）", reported_as);
  return severity;
}

std::string next_counter(store::Conn& c, const std::string& name, const std::string& period) {
  auto row = c.row("INSERT INTO number_counters (name, period, last) VALUES (?, ?, 1) ON CONFLICT (name, period) DO UPDATE SET "
                   "last = number_counters.last + 1 RETURNING last",
                   {name, period});
  return std::to_string(store::as_id((*row)["last"]));
}

std::string next_yearly_number(store::Conn& c, const std::string& counter, const std::string& prefix) {
  std::string year = clock::today().substr(0, 4);
  std::string seq = next_counter(c, counter, year);
  return prefix + "-" + year + "-" + std::string(seq.size() < 4 ? 4 - seq.size() : 0, '0') + seq;
}

json hazard_categories(store::Db& db) {
  return db.read([](store::Conn& c) {
    json rows = c.rows("SELECT code, label, default_days AS \"defaultDays\", verify_hours AS \"verifyHours\", "
                       "public_report AS \"publicReport\" FROM hazard_categories ORDER BY sort, code");
    store::as_int(rows, {"defaultDays", "verifyHours"});
    store::as_bool(rows, {"publicReport"});
    return json{{"items", rows}};
  });
}

json hazard_json(store::Conn& c, const access::Caller& who, long long id, bool with_timeline) {
  auto row = c.row(std::string(kHazardSelect) + " WHERE h.id = ?", {id});
  if (!row) throw not_found();
  json h = *row;
  present(c, who, h);
  if (with_timeline) {
    json t = c.rows("SELECT at, action, by_name AS \"by\", note FROM hazard_events WHERE hazard_id = ? ORDER BY id", {id});
    for (auto& e : t) e["actionLabel"] = action_labels().count(e["action"]) ? action_labels().at(e["action"]) : e["action"].get<std::string>();
    h["timeline"] = t;
  }
  return h;
}

json list_hazards(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f = hazard_filter(who, q);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kHazardSelect, "FROM hazards h JOIN venues v ON v.id = h.venue_id", f, "h.found_at DESC, h.id DESC", p);
    for (auto& h : out["items"]) present(c, who, h);
    return out;
  });
}

namespace {
// The columns every summary row set has: village, supervising department (0: none) and the counts.
const char* kCountColumns =
    "v.org_unit_id AS village, %s AS department, SUM(%s) AS reported, SUM(%s) AS rectifying, SUM(%s) AS awaiting_recheck, "
    "SUM(%s) AS closed, SUM(%s) AS overdue, SUM(%s) AS supervised";

std::string count_columns(const std::vector<std::string>& exprs) {
  std::string out = kCountColumns;
  for (const auto& e : exprs) out.replace(out.find("%s"), 2, e);
  return out;
}
}  // namespace

void rebuild_hazard_counts(store::Conn& c) {
  c.exec("DELETE FROM hazard_counts");
  c.exec("INSERT INTO hazard_counts (venue_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, closed, overdue, supervised) "
         "SELECT venue_id, COALESCE(supervisor_org_unit_id, 0), SUM(CASE WHEN state = 'reported' THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN state = 'rectifying' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'awaiting_recheck' THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), SUM(overdue), SUM(CASE WHEN supervision IS NOT NULL THEN 1 ELSE 0 END) "
         "FROM hazards GROUP BY venue_id, COALESCE(supervisor_org_unit_id, 0)");
  // Recounted here, not left to hazard_counts' triggers: a bulk load under PostgreSQL's replica role (the city
  // generator) does not fire them.
  c.exec("DELETE FROM hazard_village_counts");
  c.exec("INSERT INTO hazard_village_counts (village_org_unit_id, supervisor_org_unit_id, reported, rectifying, awaiting_recheck, "
         "closed, overdue, supervised) SELECT v.org_unit_id, k.supervisor_org_unit_id, SUM(k.reported), SUM(k.rectifying), "
         "SUM(k.awaiting_recheck), SUM(k.closed), SUM(k.overdue), SUM(k.supervised) FROM hazard_counts k "
         "JOIN venues v ON v.id = k.venue_id GROUP BY v.org_unit_id, k.supervisor_org_unit_id");
}

void move_venue_hazard_counts(store::Conn& c, long long venue_id, long long from_village, long long to_village) {
  if (from_village == to_village) return;
  static const char* kCounts[] = {"reported", "rectifying", "awaiting_recheck", "closed", "overdue", "supervised"};
  std::string sql = "INSERT INTO hazard_village_counts (village_org_unit_id, supervisor_org_unit_id";
  for (const char* k : kCounts) sql += std::string(", ") + k;
  sql += ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (village_org_unit_id, supervisor_org_unit_id) DO UPDATE SET ";
  for (const char* k : kCounts)
    sql += std::string(k == kCounts[0] ? "" : ", ") + k + " = hazard_village_counts." + k + " + excluded." + k;
  for (const auto& row : c.rows("SELECT * FROM hazard_counts WHERE venue_id = ?", {venue_id}))
    for (auto [village, sign] : {std::pair{from_village, -1LL}, std::pair{to_village, 1LL}}) {
      store::Params p{village, store::as_id(row["supervisor_org_unit_id"])};
      for (const char* k : kCounts) p.push_back(sign * store::as_id(row[k]));
      c.exec(sql, p);
    }
}

// Read from hazard_counts (one row per venue and department, kept by triggers), not from the hazards: the
// caller's venue scope applies to those rows as it does to hazards. What the scope adds by `found_by_user_id`
// alone (hazards the caller found at venues outside it) is counted from the hazards themselves.
json hazard_summary(store::Db& db, const access::Caller& who) {
  return db.read([&](store::Conn& c) {
    store::Params p;
    std::string venue_scope = store::scope_condition(
        who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = k.venue_id",
              "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = k.venue_id", "k.supervisor_org_unit_id"},
        {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = k.venue_id)"}, p);
    // One row per village and department, read in place (no JSON object per row: a city has thousands).
    struct Counts {
      long long village, department, reported, rectifying, awaiting_recheck, closed, overdue, supervised;
    };
    std::vector<Counts> rows;
    auto keep = [&](const store::RowView& r) {
      rows.push_back({r.integer("village"), r.integer("department"), r.integer("reported"), r.integer("rectifying"),
                      r.integer("awaiting_recheck"), r.integer("closed"), r.integer("overdue"), r.integer("supervised")});
    };
    if (who.scope == access::DataScope::All)
      c.each_view("SELECT village_org_unit_id AS village, supervisor_org_unit_id AS department, reported, rectifying, "
                  "awaiting_recheck, closed, overdue, supervised FROM hazard_village_counts",
                  {}, keep);
    else
      c.each_view("SELECT " + count_columns({"k.supervisor_org_unit_id", "k.reported", "k.rectifying", "k.awaiting_recheck",
                                             "k.closed", "k.overdue", "k.supervised"}) +
                      " FROM hazard_counts k JOIN venues v ON v.id = k.venue_id WHERE " + venue_scope +
                      " GROUP BY v.org_unit_id, k.supervisor_org_unit_id",
                  p, keep);
    if (who.scope != access::DataScope::All) {
      store::Params found{who.user_id};
      std::string outside = store::scope_condition(
          who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = h.venue_id",
                "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = h.venue_id", "h.supervisor_org_unit_id"},
          {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = h.venue_id)"}, found);
      auto when = [](const std::string& cond) { return "CASE WHEN " + cond + " THEN 1 ELSE 0 END"; };
      c.each_view("SELECT " + count_columns({"COALESCE(h.supervisor_org_unit_id, 0)", when("h.state = 'reported'"),
                                             when("h.state = 'rectifying'"), when("h.state = 'awaiting_recheck'"),
                                             when("h.state = 'closed'"), "h.overdue", when("h.supervision IS NOT NULL")}) +
                      " FROM hazards h JOIN venues v ON v.id = h.venue_id WHERE h.found_by_user_id = ? AND NOT " + outside +
                      " GROUP BY v.org_unit_id, COALESCE(h.supervisor_org_unit_id, 0)",
                  found, keep);
    }

    long long reported = 0, rectifying = 0, awaiting_recheck = 0, closed = 0, overdue = 0, supervised = 0;
    struct Group {
      long long open = 0, overdue = 0, closed = 0;
    };
    std::map<long long, Group> departments, villages;
    for (const Counts& r : rows) {
      long long open = r.reported + r.rectifying + r.awaiting_recheck;
      if (open + r.closed == 0) continue;
      reported += r.reported;
      rectifying += r.rectifying;
      awaiting_recheck += r.awaiting_recheck;
      closed += r.closed;
      overdue += r.overdue;
      supervised += r.supervised;
      for (Group* g : {r.department != 0 ? &departments[r.department] : nullptr, &villages[r.village]}) {
        if (!g) continue;
        g->open += open;
        g->overdue += r.overdue;
        g->closed += r.closed;
      }
    }
    json by_state = {{hazard::state_key(State::Reported), reported}, {hazard::state_key(State::Rectifying), rectifying},
                     {hazard::state_key(State::AwaitingRecheck), awaiting_recheck}, {hazard::state_key(State::Closed), closed}};
    std::map<long long, std::string> names;
    for (const auto& o : c.rows("SELECT id, name FROM org_units")) names[store::as_id(o["id"])] = o["name"];
    auto groups = [&](const std::map<long long, Group>& by) {
      json out = json::array();
      for (const auto& [id, g] : by)
        if (names.count(id))
          out.push_back({{"orgUnitId", id}, {"name", names[id]}, {"open", g.open}, {"overdue", g.overdue}, {"closed", g.closed}});
      return out;
    };
    return json{{"byState", by_state},
                {"overdue", overdue},
                {"supervised", supervised},
                {"byDepartment", groups(departments)},
                {"byVillage", groups(villages)}};
  });
}

json get_hazard(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    scoped_row(c, who, id);
    return hazard_json(c, who, id, true);
  });
}

long long insert_hazard(store::Conn& c, const access::Caller& who, const NewHazard& h) {
  if (!c.row("SELECT id FROM venues WHERE id = ?", {h.venue_id})) throw bad_request("VENUE_NOT_FOUND", "场所不存在", "venueId");
  if (!c.row("SELECT code FROM hazard_categories WHERE code = ?", {h.category}))
    throw bad_request("INVALID_VALUE", "隐患类别无效", "category");
  check_files_exist(c, h.photos, "photos");
  // Numbered by the day it was found (a report triaged later keeps its day).
  std::string day = clock::local_date(clock::parse_iso(h.found_at).value_or(clock::now()));
  std::string number = "YH-" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-";
  std::string seq = next_counter(c, "hazard", day);
  number += std::string(seq.size() < 4 ? 4 - seq.size() : 0, '0') + seq;
  // The department that supervises the venue follows the hazard from the start; 交办 may change it.
  long long supervisor = c.scalar("SELECT COALESCE(MIN(org_unit_id), 0) FROM venue_supervisors WHERE venue_id = ?", {h.venue_id});
  std::string now = now_iso();
  long long id = c.insert(
      "INSERT INTO hazards (number, source, venue_id, category, severity, decision_record, description, location, photos, "
      "found_by_user_id, found_by, found_at, supervisor_org_unit_id, state, report_id, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?)",
      {number, h.source, h.venue_id, h.category, h.severity,
       h.decision_record ? store::Value(*h.decision_record) : store::Value(nullptr), h.description, h.location, h.photos.dump(),
       who.user_id ? store::Value(who.user_id) : store::Value(nullptr), h.found_by, h.found_at,
       supervisor ? store::Value(supervisor) : store::Value(nullptr), h.report_id ? store::Value(*h.report_id) : store::Value(nullptr),
       now, now});
  add_event(c, who, id, "report", source_labels().at(h.source) + "发现：" + validate::clip_utf8(h.description, 300));
  return id;
}

json create_hazard(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  NewHazard h;
  h.venue_id = in.integer("venueId", "场所");
  h.category = in.str("category", 40, "隐患类别");
  h.severity = read_severity(in, h.decision_record);
  h.description = in.str("description", 2000, "隐患描述");
  h.location = in.opt_str("location", 200, "具体位置").value_or("");
  h.photos = read_file_ids(body, "photos", 9);
  h.source = in.has("source") ? in.one_of("source", "来源", {"inspection", "patrol", "self_check"}) : "inspection";
  h.found_by = who.name;
  h.found_at = now_iso();
  if (auto at = in.opt_str("foundAt", 40, "发现时间")) {
    auto t = clock::parse_iso(*at);
    if (!t) throw bad_request("INVALID_VALUE", "发现时间须为日期时间，例如 2026-12-02T09:00:00+08:00", "foundAt");
    if (*t > clock::now() + std::chrono::minutes(5)) throw bad_request("INVALID_VALUE", "发现时间不能晚于现在", "foundAt");
    h.found_at = clock::iso_utc(*t);
  }
  require_venue_in_scope(db, who, h.venue_id);
  return db.write([&](store::Conn& c) {
    long long id = insert_hazard(c, who, h);
    json after = hazard_json(c, who, id, true);
    record(c, who, "hazard.report", "hazard", std::to_string(id), nullptr, after);
    return after;
  });
}

namespace {
// A command's fields, read and checked before the hazard's state is looked at,
// so a bad body is always a 400 whatever the state.
struct CommandInput {
  // assign
  std::string person;
  std::optional<std::string> phone, deadline, measures_text, severity, decision;
  std::optional<long long> unit, supervisor;
  std::optional<double> funds;
  // rectify
  std::string measures, signed_by;
  std::optional<std::string> signature;  // the responsible person's handwritten signature (a PNG file id)
  json photos = json::array();
  // recheck
  bool passed = false;
  // reopen, supervise, unsupervise, recheck
  std::optional<std::string> note, level;
  std::string reason;
};

CommandInput read_command(const std::string& name, const json& body) {
  Input in(body);
  CommandInput ci;
  if (name == "assign") {
    ci.person = in.str("responsiblePerson", 50, "整改责任人");
    ci.phone = in.opt_str("responsiblePhone", 20, "责任人电话");
    if (ci.phone && !validate::mobile_phone(*ci.phone)) throw bad_request("INVALID_VALUE", "责任人电话须为 11 位手机号", "responsiblePhone");
    ci.unit = in.opt_integer("responsibleUnitId", "责任单位");
    ci.supervisor = in.opt_integer("supervisorOrgUnitId", "督办岗位");
    ci.deadline = in.opt_date("deadline", "整改期限");
    if (ci.deadline && *ci.deadline < clock::today()) throw bad_request("DEADLINE_IN_PAST", "整改期限不能早于今天", "deadline");
    ci.measures_text = in.opt_str("interimMeasures", 1000, "临时防范措施");
    ci.funds = in.opt_number("funds", "整改资金", 0, 1e10);
    if (in.has("severity") || in.has("decisionRecord")) {
      std::optional<std::string> decision;
      ci.severity = read_severity(in, decision);
      ci.decision = decision;
    }
  } else if (name == "rectify") {
    ci.measures = in.str("measures", 2000, "整改措施");
    if (!in.has("photos")) throw bad_request("REQUIRED", "请上传整改后的照片", "photos");
    ci.photos = read_file_ids(body, "photos", 9);
    if (ci.photos.empty()) throw bad_request("PHOTOS_REQUIRED", "请至少上传一张整改后的照片", "photos");
    ci.signed_by = in.str("signedBy", 50, "责任人签字");
    ci.signature = read_signature(body);
  } else if (name == "recheck") {
    ci.passed = in.boolean("passed", "复查结论");
    ci.note = in.opt_str("note", 1000, "复查意见");
    if (!ci.passed && !ci.note) throw bad_request("NOTE_REQUIRED", "复查不合格时须写明原因", "note");
  } else if (name == "reopen") {
    ci.reason = in.str("reason", 1000, "重新打开的原因");
  } else if (name == "supervise") {
    ci.level = in.one_of("level", "督办级别", {"town", "district", "city"});
    ci.deadline = in.date("deadline", "督办期限");
    if (*ci.deadline < clock::today()) throw bad_request("DEADLINE_IN_PAST", "督办期限不能早于今天", "deadline");
    ci.note = in.opt_str("note", 1000, "督办要求");
  } else if (name == "unsupervise") {
    ci.note = in.opt_str("note", 1000, "摘牌说明");
  } else {
    throw not_found();
  }
  return ci;
}
// Who hears of a command: the venue's manager acts on assign, failed recheck, reopen and supervision;
// the supervising department on rectification (to recheck) and the rest; the 专班 on supervision.
void notify_hazard_change(store::Conn& c, const access::Caller& who, const json& h, const std::string& action) {
  static const std::map<std::string, std::pair<std::string, std::string>> events = {
      {"assign", {"hazard.assigned", "已交办，请按期整改"}},
      {"rectify", {"hazard.rectified", "已填报整改，请复查"}},
      {"recheck_failed", {"hazard.recheck_failed", "复查不合格，请继续整改"}},
      {"reopen", {"hazard.reopened", "已重新打开，请继续整改"}},
      {"supervise", {"hazard.supervised", "已挂牌督办"}},
  };
  auto e = events.find(action);
  if (e == events.end()) return;
  long long venue = h["venueId"].get<long long>();
  Notice n{e->second.first,
           h["venueName"].get<std::string>() + " 隐患 " + h["number"].get<std::string>() + " " + e->second.second,
           h["categoryLabel"].get<std::string>() + "：" + validate::clip_utf8(h["description"].get<std::string>(), 200) +
               (h["deadline"].is_string() ? "\n整改期限 " + h["deadline"].get<std::string>() : ""),
           "/hazards/" + std::to_string(h["id"].get<long long>())};
  n.actor = who.user_id;
  if (action != "rectify") n.venue_manager_of = venue;
  if (h["supervisorOrgUnitId"].is_number()) n.departments.push_back(h["supervisorOrgUnitId"].get<long long>());
  else n.departments = venue_departments(c, venue);
  n.task_force = action == "supervise";
  n.permission = "hazard:read";
  notify(c, n);
}

}  // namespace

json run_hazard_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body) {
  CommandInput in = read_command(name, body);
  return db.write([&](store::Conn& c) {
    json before = scoped_row(c, who, id);
    present(c, who, before);
    State from = *hazard::parse_state(before["state"].get<std::string>());
    auto state_error = [&](const std::string& what) {
      return conflict("HAZARD_STATE_INVALID", "隐患当前为「" + std::string(hazard::state_label(from)) + "」，不能" + what);
    };
    auto move = [&](Command cmd, bool passed = true) {
      auto to = hazard::next_state(from, cmd, passed);
      if (!to) throw state_error(std::string(hazard::command_label(cmd)));
      return std::string(hazard::state_key(*to));
    };
    std::string now = now_iso(), action = name, note;
    store::Params sets_params;
    std::string sets;
    auto set = [&](const std::string& column, store::Value v) {
      sets += ", " + column + " = ?";
      sets_params.push_back(std::move(v));
    };

    if (name == "assign") {
      std::string to = move(Command::Assign);
      if (in.unit && !c.row("SELECT id FROM units WHERE id = ?", {*in.unit}))
        throw bad_request("UNIT_NOT_FOUND", "单位不存在", "responsibleUnitId");
      if (in.supervisor && !c.row("SELECT id FROM org_units WHERE id = ? AND kind = 'department'", {*in.supervisor}))
        throw bad_request("INVALID_VALUE", "督办岗位须为镇街的岗位", "supervisorOrgUnitId");
      std::string severity = in.severity.value_or(before["severity"].get<std::string>());
      std::optional<std::string> decision = in.severity ? in.decision
                                            : before["decisionRecord"].is_string()
                                                ? std::optional(before["decisionRecord"].get<std::string>())
                                                : std::nullopt;
      std::string deadline = in.deadline.value_or("");
      if (deadline.empty()) {
        int days = static_cast<int>(c.scalar("SELECT default_days FROM hazard_categories WHERE code = ?", {before["category"].get<std::string>()}));
        deadline = hazard::default_deadline(load_calendar(c), clock::today(), days, severity == "major");
      }
      set("state", to);
      set("responsible_person", in.person);
      set("responsible_phone", in.phone ? store::Value(personal::seal(db, *in.phone)) : store::Value(nullptr));
      set("responsible_unit_id", in.unit ? store::Value(*in.unit) : store::Value(nullptr));
      if (in.supervisor) set("supervisor_org_unit_id", *in.supervisor);
      set("severity", severity);
      set("decision_record", decision ? store::Value(*decision) : store::Value(nullptr));
      set("deadline", deadline);
      set("interim_measures", in.measures_text ? store::Value(*in.measures_text) : store::Value(nullptr));
      set("funds", in.funds ? store::Value(*in.funds) : store::Value(nullptr));
      set("notice_seq", std::stoll(next_counter(c, "notice", notice_year(before["createdAt"]))));
      note = "责任人 " + in.person + "，整改期限 " + deadline;
    } else if (name == "rectify") {
      std::string to = move(Command::Rectify);
      check_files_exist(c, in.photos, "photos");
      json rectification = {{"measures", in.measures}, {"photos", in.photos}, {"signedBy", in.signed_by}, {"at", now}};
      if (in.signature) {
        check_signature(c, *in.signature, who.user_id);
        rectification["signature"] = *in.signature;
      }
      set("state", to);
      set("rectification", rectification.dump());
      note = "责任人 " + in.signed_by + " 签字：" + validate::clip_utf8(in.measures, 300);
    } else if (name == "recheck") {
      set("state", move(Command::Recheck, in.passed));
      set("recheck", json{{"passed", in.passed}, {"note", in.note.value_or("")}, {"by", who.name}, {"at", now}}.dump());
      action = in.passed ? "recheck_passed" : "recheck_failed";
      note = in.note.value_or(in.passed ? "复查合格" : "");
      if (in.passed) set("overdue", 0LL);
    } else if (name == "reopen") {
      set("state", move(Command::Reopen));
      note = in.reason;
    } else if (name == "supervise") {
      if (from == State::Closed) throw state_error("挂牌督办");
      if (before["supervision"].is_object()) throw conflict("ALREADY_SUPERVISED", "该隐患已挂牌督办");
      set("supervision", json{{"level", *in.level}, {"deadline", *in.deadline}, {"note", in.note.value_or("")}, {"at", now}}.dump());
      note = supervision_levels().at(*in.level) + "挂牌督办，期限 " + *in.deadline + (in.note ? "：" + *in.note : "");
    } else {  // unsupervise
      if (!before["supervision"].is_object()) throw conflict("NOT_SUPERVISED", "该隐患未挂牌督办");
      if (from != State::Closed) throw state_error("摘牌销案（须先复查合格销号）");
      set("supervision", nullptr);
      note = in.note.value_or("");
    }
    sets_params.push_back(now);
    sets_params.push_back(id);
    sets_params.push_back(before["version"].get<long long>());
    if (c.exec("UPDATE hazards SET " + sets.substr(2) + ", updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
               sets_params) != 1)
      throw conflict("HAZARD_STATE_INVALID", "该隐患刚被他人处理，请刷新后重试");
    if (action == "recheck_passed") settle_overdue_alert(c, id, "隐患已复查合格销号");
    add_event(c, who, id, action, note);
    json after = hazard_json(c, who, id, true);
    notify_hazard_change(c, who, after, action);
    record(c, who, "hazard." + name, "hazard", std::to_string(id), before, after);
    return after;
  });
}

std::string hazard_notice_html(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    scoped_row(c, who, id);
    json h = hazard_json(c, who, id, false);
    if (h["state"] == "reported") throw conflict("HAZARD_STATE_INVALID", "隐患交办后才能打印限期改正通知书");
    std::string town = town_name(c);
    std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>限期改正通知书 " + esc(h["noticeNumber"]) +
                       "</title>" + kPrintStyle + "</head><body>";
    html += "<h1>" + esc(town) + "火灾隐患限期改正通知书</h1><div class=\"sub\">" + esc(h["noticeNumber"]) + "</div>";
    html += "<p class=\"big\">" + esc(h["venueName"]) + "：</p>";
    html += "<p>经" + esc(h["foundAt"].is_string() ? clock::local_date(*clock::parse_iso(h["foundAt"].get<std::string>())) : "") +
            "检查，你单位存在下列火灾隐患，依据《中华人民共和国消防法》和《消防监督检查规定》，责令你单位于 <b>" + esc(h["deadline"]) +
            "</b> 前改正，并将整改情况书面报送督办岗位。整改期间应当采取防范措施，确保消防安全。</p><table>";
    auto row = [&](const std::string& k, const std::string& v) { html += "<tr><th>" + k + "</th><td>" + v + "</td></tr>"; };
    row("隐患编号", esc(h["number"]));
    row("隐患类别", esc(h["categoryLabel"]) + "（" + esc(h["severityLabel"]) + "）");
    row("隐患描述", esc(h["description"]) + (h["location"] != "" ? "（" + esc(h["location"]) + "）" : ""));
    row("整改责任人", esc(h["responsiblePerson"]) + (h["responsibleUnitName"].is_string() ? "　" + esc(h["responsibleUnitName"]) : ""));
    row("临时防范措施", esc(h["interimMeasures"]));
    row("整改期限", esc(h["deadline"]));
    row("督办岗位", esc(h["supervisorName"]));
    html += "</table><p>逾期不改正的，将依法予以处罚；属重大火灾隐患的，报请人民政府挂牌督办。</p>";
    html += "<p style=\"text-align:right;margin-top:40px\">" + esc(town) + "（盖章）<br>" + clock::today() + "</p>";
    html += "<p>被检查单位签收：<span class=\"sign\">________________</span>　日期：__________</p></body></html>";
    return html;
  });
}

// Streams up to 100,000 rows from the query into the workbook (xlsx_sheet writes each row as it comes), so neither
// side holds the ledger in memory.
std::string export_hazards_xlsx(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Filter f = hazard_filter(who, q);
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  return xlsx_sheet("隐患台账",
                    {{"隐患编号", 16}, {"场所", 16}, {"村（社区）", 16}, {"类别", 16}, {"等级", 16}, {"来源", 16}, {"描述", 40},
                     {"发现人", 16}, {"发现时间", 16}, {"整改责任人", 16}, {"督办岗位", 16}, {"整改期限", 16}, {"状态", 16},
                     {"是否逾期", 16}, {"挂牌督办", 16}},
                    [&](XlsxRows& rows) {
    db.read([&](store::Conn& c) {
      // Only the columns of the sheet: a row is written without building the API's hazard object.
      c.each("SELECT h.number, v.name AS venue, vo.name AS village, hc.label AS category, h.severity, h.source, h.description, "
             "h.found_by, h.found_at, h.responsible_person, so.name AS supervisor, h.deadline, h.state, h.overdue, h.supervision" +
                 kHazardFrom + f.sql + " ORDER BY h.found_at DESC, h.id DESC" + limit_sql(100000),
             f.params, [&](json& h) {
        std::string supervision;
        if (h["supervision"].is_string())
          supervision = supervision_levels().at(json::parse(h["supervision"].get<std::string>())["level"].get<std::string>());
        rows.add({text(h["number"]), text(h["venue"]), text(h["village"]), text(h["category"]),
                  std::string(h["severity"] == "major" ? "重大" : "一般"), source_labels().at(h["source"].get<std::string>()),
                  text(h["description"]), text(h["found_by"]), h["found_at"].is_string() ? local_time(h["found_at"]) : std::string(),
                  text(h["responsible_person"]), text(h["supervisor"]), text(h["deadline"]),
                  std::string(hazard::state_label(*hazard::parse_state(h["state"].get<std::string>()))),
                  std::string(store::as_id(h["overdue"]) ? "是" : "否"), supervision});
      });
    });
  });
}

int run_hazard_timers(store::Db& db) {
  return db.write([](store::Conn& c) {
    int changes = 0;
    std::string today = clock::today();
    static const access::Caller system{.name = "系统", .scope = access::DataScope::All};
    json due = c.rows("SELECT h.id, h.number, h.venue_id, h.severity, h.deadline, h.supervisor_org_unit_id, v.name FROM hazards h JOIN venues v ON v.id = h.venue_id "
                      "WHERE h.state <> 'closed' AND h.overdue = 0 AND h.deadline IS NOT NULL AND h.deadline < ?",
                      {today});
    for (const auto& h : due) {
      long long id = store::as_id(h["id"]);
      c.exec("UPDATE hazards SET overdue = 1, updated_at = ?, version = version + 1 WHERE id = ?", {now_iso(), id});
      add_event(c, system, id, "overdue", "整改期限 " + h["deadline"].get<std::string>() + " 已过");
      std::vector<long long> department;
      if (!h["supervisor_org_unit_id"].is_null()) department.push_back(store::as_id(h["supervisor_org_unit_id"]));
      open_alert(c, {"hazard_overdue", h["severity"] == "major" ? "critical" : "warning", "hazard", std::to_string(id),
                     store::as_id(h["venue_id"]), h["name"].get<std::string>() + " 隐患 " + h["number"].get<std::string>() + " 逾期未整改",
                     "整改期限 " + h["deadline"].get<std::string>() + "，请督办岗位和专班跟进", h["number"], department, true});
      ++changes;
    }
    return changes;
  });
}

}  // namespace huoyan::app
