#include "app/small_projects.h"

#include <map>

#include "app/audit.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/rules.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

const std::map<std::string, std::string>& state_labels() {
  static const std::map<std::string, std::string> m = {
      {"submitted", "待受理"}, {"accepted", "已备案"}, {"returned", "退回补正"}, {"finished", "已完工"}};
  return m;
}
const std::map<std::string, std::string>& kind_labels() {
  static const std::map<std::string, std::string> m = {
      {"new", "新建"}, {"rebuild", "改建"}, {"extend", "扩建"}, {"demolish", "拆除"}, {"decorate", "装饰装修"}};
  return m;
}
const std::map<std::string, std::string>& action_labels() {
  static const std::map<std::string, std::string> m = {
      {"submit", "提交备案"}, {"resubmit", "补正后重新提交"}, {"accept", "受理备案"}, {"return", "退回补正"},
      {"guide", "安全指导"},  {"check", "暗访检查"},          {"finish", "完工销项"}};
  return m;
}

const char* kProjectSelect =
    "SELECT sp.id, sp.number, sp.venue_id AS \"venueId\", v.name AS \"venueName\", sp.unit_id AS \"unitId\", "
    "u.name AS \"unitName\", sp.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", sp.name, sp.kind, sp.location, "
    "sp.investment, sp.area, sp.planned_start AS \"plannedStart\", sp.planned_end AS \"plannedEnd\", "
    "sp.hot_work_methods AS \"hotWorkMethods\", sp.fire_measures AS \"fireMeasures\", sp.site_manager AS \"siteManager\", "
    "sp.site_phone AS \"sitePhone\", sp.state, sp.state_reason AS \"stateReason\", sp.created_by AS \"createdBy\", "
    "sp.created_at AS \"createdAt\", sp.updated_at AS \"updatedAt\", sp.version "
    "FROM small_projects sp JOIN venues v ON v.id = sp.venue_id JOIN units u ON u.id = sp.unit_id "
    "JOIN org_units o ON o.id = sp.org_unit_id";

// Officers see the filings their department received and those at the venues it supervises; a venue manager
// (仅本人) those at their venues; a filer their own.
std::string project_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"sp.org_unit_id", "SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = sp.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = sp.venue_id"},
      {"sp.created_by", "EXISTS (SELECT 1 FROM venues vm WHERE vm.id = sp.venue_id AND vm.manager_user_id = ?)"}, p);
}

double number_of(const json& v) { return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>(); }

json project_json(store::Conn& c, const json& row) {
  json k = row;
  store::as_int(k, {"id", "venueId", "unitId", "orgUnitId", "createdBy", "version"});
  personal::open_field(c.db(), k, "sitePhone");
  k["investment"] = number_of(k["investment"]);
  k["area"] = number_of(k["area"]);
  k["stateLabel"] = state_labels().at(k["state"]);
  k["kindLabel"] = kind_labels().at(k["kind"]);
  k["hotWorkMethods"] = json::parse(k["hotWorkMethods"].get<std::string>());
  auto labels = load_dict_labels(c);
  json method_labels = json::array();
  for (const auto& m : k["hotWorkMethods"]) method_labels.push_back(labels->find("hotwork_method", m.get<std::string>()).value_or(""));
  k["hotWorkMethodLabels"] = method_labels;
  // Above both limits a project needs a construction permit, not a filing: the reviewer is told, not the filer refused.
  k["overLimit"] = k["investment"].get<double>() > kSmallProjectMaxInvestment && k["area"].get<double>() > kSmallProjectMaxArea;
  return k;
}

json load_project(store::Conn& c, long long id) {
  auto row = c.row(std::string(kProjectSelect) + " WHERE sp.id = ?", {id});
  if (!row) throw not_found();
  return project_json(c, *row);
}

// The filing with its timeline and the permits at its venue that start within its dates (China time).
json project_detail(store::Conn& c, long long id) {
  json k = load_project(c, id);
  json timeline = c.rows("SELECT at, action, by_name AS \"by\", note FROM small_project_events WHERE project_id = ? ORDER BY id", {id});
  for (auto& e : timeline) e["actionLabel"] = action_labels().at(e["action"]);
  k["timeline"] = timeline;
  std::string from = clock::iso_utc(clock::day_start(k["plannedStart"].get<std::string>()));
  std::string to = clock::iso_utc(clock::day_end(k["plannedEnd"].get<std::string>()));
  json permits = c.rows("SELECT id, number, place, state, planned_start AS \"plannedStart\", planned_end AS \"plannedEnd\" "
                        "FROM permits WHERE venue_id = ? AND planned_start >= ? AND planned_start <= ? ORDER BY planned_start LIMIT 100",
                        {k["venueId"].get<long long>(), from, to});
  store::as_int(permits, {"id"});
  k["permits"] = permits;
  return k;
}

void require_in_scope(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = project_scope(who, p);
  if (!c.row("SELECT sp.id FROM small_projects sp WHERE sp.id = ? AND " + cond, p)) throw not_found();
}

void add_event(store::Conn& c, const access::Caller& who, long long id, const std::string& action, const std::string& note) {
  c.insert("INSERT INTO small_project_events (project_id, at, action, by_name, note) VALUES (?, ?, ?, ?, ?)",
           {id, now_iso(), action, who.name, note});
}

// Tells the receiving department that a filing waits for it (filed, or corrected and filed again).
void tell_department(store::Conn& c, const access::Caller& who, const json& p) {
  notify(c, {.event = "project.submitted", .title = "小型工程备案待受理：" + p["name"].get<std::string>(),
             .body = p["number"].get<std::string>() + "，" + p["venueName"].get<std::string>() + "，施工单位 " + p["unitName"].get<std::string>() +
                     "，工期 " + p["plannedStart"].get<std::string>() + " 至 " + p["plannedEnd"].get<std::string>(),
             .link = "/small-projects/" + std::to_string(p["id"].get<long long>()), .departments = {p["orgUnitId"].get<long long>()},
             .actor = who.user_id, .permission = "project:review"});
}

struct Filing {
  long long venue_id = 0, unit_id = 0, org_unit_id = 0;
  std::string name, kind, location, planned_start, planned_end, fire_measures, site_manager, site_phone;
  double investment = 0, area = 0;
  std::vector<std::string> methods;
};

Filing read_filing(const json& body) {
  Input in(body);
  Filing f;
  f.venue_id = in.integer("venueId", "所在场所");
  f.unit_id = in.integer("unitId", "施工单位");
  f.org_unit_id = in.integer("orgUnitId", "受理部门");
  f.name = in.str("name", 100, "工程名称");
  f.kind = in.one_of("kind", "工程类别", {"new", "rebuild", "extend", "demolish", "decorate"});
  f.location = in.str("location", 200, "施工部位");
  f.investment = in.number("investment", "工程投资额（万元）", 0, 100000);
  f.area = in.number("area", "建筑面积（平方米）", 0, 1000000);
  f.planned_start = in.date("plannedStart", "计划开工日期");
  f.planned_end = in.date("plannedEnd", "计划完工日期");
  if (f.planned_end < f.planned_start) throw bad_request("INVALID_VALUE", "计划完工日期不能早于开工日期", "plannedEnd");
  f.methods = in.str_list("hotWorkMethods", 10, 30, "动火方式");
  if (f.methods.empty()) throw bad_request("REQUIRED", "请选择涉及的动火方式（电焊、气焊、气割等）", "hotWorkMethods");
  f.fire_measures = in.str("fireMeasures", 2000, "防火措施");
  f.site_manager = in.str("siteManager", 50, "现场负责人");
  f.site_phone = in.str("sitePhone", 20, "现场负责人电话");
  if (!validate::mobile_phone(f.site_phone)) throw bad_request("INVALID_VALUE", "现场负责人电话须为 11 位手机号", "sitePhone");
  return f;
}

// The filing's references exist and its methods are in the dictionary.
void check_refs(store::Conn& c, const Filing& f) {
  if (!c.row("SELECT id FROM venues WHERE id = ?", {f.venue_id})) throw bad_request("VENUE_NOT_FOUND", "场所不存在", "venueId");
  if (!c.row("SELECT id FROM units WHERE id = ?", {f.unit_id})) throw bad_request("UNIT_NOT_FOUND", "施工单位不存在", "unitId");
  if (!c.row("SELECT id FROM org_units WHERE id = ? AND kind = 'department'", {f.org_unit_id}))
    throw bad_request("ORG_UNIT_NOT_FOUND", "受理部门不存在（须为镇属部门）", "orgUnitId");
  auto labels = load_dict_labels(c);
  for (const auto& m : f.methods)
    if (!labels->find("hotwork_method", m)) throw bad_request("INVALID_VALUE", "动火方式不在字典中：" + m, "hotWorkMethods");
}

store::Params filing_values(const store::Db& db, const Filing& f) {
  return {f.venue_id, f.unit_id, f.org_unit_id, f.name, f.kind, f.location, f.investment, f.area, f.planned_start,
          f.planned_end, json(f.methods).dump(), f.fire_measures, f.site_manager, personal::seal(db, f.site_phone)};
}

}  // namespace

json list_small_projects(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + project_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (!state_labels().count(*v)) throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("sp.state = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("sp.venue_id = ?", *v);
  if (auto v = query_int(q, "orgUnitId")) f.add("sp.org_unit_id = ?", *v);
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(sp.number LIKE ? OR sp.name LIKE ? OR v.name LIKE ? OR u.name LIKE ?)", like, like, like, like);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kProjectSelect,
                       "FROM small_projects sp JOIN venues v ON v.id = sp.venue_id JOIN units u ON u.id = sp.unit_id", f,
                       "sp.id DESC", p);
    for (auto& item : out["items"]) item = project_json(c, item);
    return out;
  });
}

json get_small_project(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    require_in_scope(c, who, id);
    return project_detail(c, id);
  });
}

json file_small_project(store::Db& db, const access::Caller& who, const json& body) {
  Filing f = read_filing(body);
  return db.write([&](store::Conn& c) {
    check_refs(c, f);
    std::string number = next_yearly_number(c, "small_project", "BA");
    std::string now = now_iso();
    store::Params values{number};
    for (auto& v : filing_values(db, f)) values.push_back(std::move(v));
    for (store::Value v : {store::Value(who.user_id), store::Value(now), store::Value(now)}) values.push_back(std::move(v));
    long long id = c.insert(
        "INSERT INTO small_projects (number, venue_id, unit_id, org_unit_id, name, kind, location, investment, area, planned_start, "
        "planned_end, hot_work_methods, fire_measures, site_manager, site_phone, state, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?)",
        values);
    add_event(c, who, id, "submit", "");
    json after = load_project(c, id);
    record(c, who, "small_project.file", "small_project", std::to_string(id), nullptr, after);
    tell_department(c, who, after);
    return project_detail(c, id);
  });
}

json refile_small_project(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Filing f = read_filing(body);
  return db.write([&](store::Conn& c) {
    require_in_scope(c, who, id);
    json before = load_project(c, id);
    if (before["createdBy"] != who.user_id) throw forbidden();
    std::string state = before["state"];
    if (state != "submitted" && state != "returned")
      throw conflict("PROJECT_STATE_INVALID", "备案当前为「" + state_labels().at(state) + "」，不能修改");
    check_refs(c, f);
    store::Params values = filing_values(db, f);
    values.push_back(now_iso());
    values.push_back(id);
    c.exec("UPDATE small_projects SET venue_id = ?, unit_id = ?, org_unit_id = ?, name = ?, kind = ?, location = ?, investment = ?, "
           "area = ?, planned_start = ?, planned_end = ?, hot_work_methods = ?, fire_measures = ?, site_manager = ?, site_phone = ?, "
           "state = 'submitted', state_reason = '', updated_at = ?, version = version + 1 WHERE id = ?",
           values);
    add_event(c, who, id, state == "returned" ? "resubmit" : "submit", "");
    json after = load_project(c, id);
    record(c, who, "small_project.refile", "small_project", std::to_string(id), before, after);
    tell_department(c, who, after);
    return project_detail(c, id);
  });
}

json run_small_project_command(store::Db& db, const access::Caller& who, long long id, const std::string& name,
                               const json& body) {
  // Fields first: a bad body is a 400 whatever the filing's state.
  Input in(body);
  std::string note;
  bool unannounced = false;
  if (name == "accept" || name == "finish") {
    note = in.opt_str("note", 1000, "说明").value_or("");
  } else if (name == "return") {
    note = in.str("reason", 1000, "退回理由");
  } else if (name == "guide") {
    note = in.str("note", 2000, "指导或检查情况");
    unannounced = in.opt_bool("unannounced").value_or(false);
  } else {
    throw not_found();
  }
  return db.write([&](store::Conn& c) {
    require_in_scope(c, who, id);
    json before = load_project(c, id);
    std::string state = before["state"];
    auto refuse = [&](const std::string& what) {
      return conflict("PROJECT_STATE_INVALID", "备案当前为「" + state_labels().at(state) + "」，不能" + what);
    };
    std::string next = state, action = name;
    if (name == "accept") {
      if (state != "submitted") throw refuse("受理");
      next = "accepted";
    } else if (name == "return") {
      if (state != "submitted") throw refuse("退回");
      next = "returned";
    } else if (name == "guide") {
      if (state != "accepted") throw refuse("记录安全指导或暗访检查（须已备案、未完工）");
      if (unannounced) action = "check";
    } else {  // finish: the filer, or the receiving department
      if (before["createdBy"] != who.user_id && !who.has("project:review")) throw forbidden();
      if (state != "accepted") throw refuse("完工销项（须已备案）");
      next = "finished";
    }
    if (next != state)
      c.exec("UPDATE small_projects SET state = ?, state_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?",
             {next, name == "return" ? note : std::string(), now_iso(), id});
    add_event(c, who, id, action, note);
    json after = load_project(c, id);
    record(c, who, "small_project." + action, "small_project", std::to_string(id), before, after);
    if (name == "accept" || name == "return")
      notify(c, {.event = "project.reviewed",
                 .title = std::string(name == "accept" ? "小型工程已备案：" : "小型工程备案被退回补正：") + after["name"].get<std::string>(),
                 .body = after["number"].get<std::string>() + "，" + after["orgUnitName"].get<std::string>() + (note.empty() ? "" : "：" + note),
                 .link = "/small-projects/" + std::to_string(id), .actor = who.user_id,
                 .permission = "project:read", .users = {after["createdBy"].get<long long>()}});
    return project_detail(c, id);
  });
}

json department_lookup(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = c.rows("SELECT id, name FROM org_units WHERE kind = 'department' ORDER BY sort, id");
    store::as_int(items, {"id"});
    return json{{"items", items}};
  });
}

}  // namespace huoyan::app
