#include "app/inspections.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "app/audit.h"
#include "app/files.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/registries.h"
#include "domain/clock.h"
#include "domain/draw.h"
#include "domain/errors.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

const std::set<std::string>& kinds() {
  static const std::set<std::string> k = {"routine", "special", "random", "patrol"};
  return k;
}
std::string kind_label(const std::string& k) {
  return k == "routine" ? "日常检查" : k == "special" ? "专项检查" : k == "random" ? "双随机抽查" : k == "patrol" ? "网格巡查" : k;
}

// Key units (重点单位) by venue type: where crowds are most vulnerable.
bool is_key_type(const std::string& type) {
  static const std::set<std::string> key = {"hospital", "elderly_care", "welfare_home", "nursery", "kindergarten", "school",
                                            "mall", "market", "entertainment", "hotel", "stadium"};
  return key.count(type) > 0;
}

const char* kInspectionSelect =
    "SELECT i.id, i.venue_id AS \"venueId\", v.name AS \"venueName\", v.type AS \"venueType\", i.kind, i.unannounced, "
    "i.planned_on AS \"plannedOn\", i.state, i.inspector_ids AS \"inspectorIds\", i.draw_id AS \"drawId\", i.results, i.summary, "
    "i.lat, i.lng, i.inspected_at AS \"inspectedAt\", i.created_at AS \"createdAt\", i.updated_at AS \"updatedAt\" "
    "FROM inspections i JOIN venues v ON v.id = i.venue_id";

// The venue's scope, and in any scope the inspections the caller was sent on.
std::string inspection_scope(const access::Caller& who, store::Params& p) {
  std::string venue = store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = i.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = i.venue_id"},
      {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = i.venue_id)", "i.created_by"}, p);
  p.emplace_back("%," + std::to_string(who.user_id) + ",%");
  return "(" + venue + " OR (',' || REPLACE(REPLACE(i.inspector_ids, '[', ''), ']', '') || ',') LIKE ?)";
}

json user_names(store::Conn& c, const json& ids) {
  json out = json::array();
  for (const auto& id : ids) {
    auto name = c.text("SELECT name FROM users WHERE id = ?", {id.get<long long>()});
    out.push_back({{"id", id}, {"name", name.value_or("")}});
  }
  return out;
}

void present(store::Conn& c, json& i) {
  store::as_int(i, {"id", "venueId", "drawId"});
  store::as_bool(i, {"unannounced"});
  i["kindLabel"] = kind_label(i["kind"]);
  i["stateLabel"] = i["state"] == "done" ? "已检查" : "待检查";
  i["inspectorIds"] = json::parse(i["inspectorIds"].get<std::string>());
  i["inspectors"] = user_names(c, i["inspectorIds"]);
  i["results"] = i["results"].is_string() ? json::parse(i["results"].get<std::string>()) : json(nullptr);
  store::as_number(i, {"lat", "lng"});
}

json template_for(store::Conn& c, const std::string& venue_type) {
  auto t = c.text("SELECT items FROM checklist_templates WHERE venue_type = ?", {venue_type});
  if (!t) t = c.text("SELECT items FROM checklist_templates WHERE venue_type = 'default'");
  return json::parse(t.value_or("[]"));
}

json inspection_json(store::Conn& c, long long id) {
  auto row = c.row(std::string(kInspectionSelect) + " WHERE i.id = ?", {id});
  if (!row) throw not_found();
  json i = *row;
  present(c, i);
  i["checklist"] = template_for(c, i["venueType"]);
  json hazards = c.rows("SELECT id, number, state, category FROM hazards WHERE inspection_id = ? ORDER BY id", {id});
  store::as_int(hazards, {"id"});
  i["hazards"] = hazards;
  return i;
}

json scoped_inspection(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = inspection_scope(who, p);
  if (!c.row("SELECT i.id FROM inspections i WHERE i.id = ? AND " + cond, p)) throw not_found();
  return inspection_json(c, id);
}

// Every key of each object in body[field] must be one of `allowed`.
void closed_objects(const json& body, const char* field, std::initializer_list<const char*> allowed, size_t max_items) {
  if (!body.contains(field) || body[field].is_null()) return;
  if (body[field].size() > max_items) throw bad_request("INVALID_VALUE", "条目过多（最多 " + std::to_string(max_items) + " 条）", field);
  for (const auto& o : body[field]) Input(o).only_fields(allowed, field);
}

struct Recording {
  json results = json::array();
  std::vector<NewHazard> findings;
  std::optional<std::string> summary;
  std::optional<double> lat, lng;
};

// Reads a record body against the venue type's checklist (every item answered once).
Recording read_recording(const json& body, const json& checklist, bool checklist_required) {
  Input in(body);
  Recording r;
  closed_objects(body, "results", {"code", "passed", "note"}, 50);
  closed_objects(body, "findings", {"category", "description", "location", "photos", "severity", "decisionRecord"}, 30);
  std::set<std::string> answered;
  if (body.contains("results") && body["results"].is_array()) {
    for (const auto& item : body["results"]) {
      Input ii(item);
      std::string code = ii.str("code", 40, "检查项");
      auto it = std::find_if(checklist.begin(), checklist.end(), [&](const json& t) { return t["code"] == code; });
      if (it == checklist.end()) throw bad_request("INVALID_VALUE", "检查项不在该类场所的检查表中：" + code, "results");
      if (!answered.insert(code).second) throw bad_request("INVALID_VALUE", "检查项重复：" + code, "results");
      bool passed = ii.boolean("passed", "检查结论");
      auto note = ii.opt_str("note", 500, "说明");
      r.results.push_back({{"code", code}, {"label", (*it)["label"]}, {"passed", passed}, {"note", note.value_or("")}});
    }
  }
  if (checklist_required && answered.size() != checklist.size())
    throw bad_request("CHECKLIST_INCOMPLETE", "检查表共 " + std::to_string(checklist.size()) + " 项，请逐项填写检查结论", "results");
  if (body.contains("findings") && body["findings"].is_array()) {
    for (const auto& f : body["findings"]) {
      Input fi(f);
      NewHazard h;
      h.category = fi.str("category", 40, "隐患类别");
      h.description = fi.str("description", 2000, "隐患描述");
      h.location = fi.opt_str("location", 200, "具体位置").value_or("");
      h.photos = read_file_ids(f, "photos", 9);
      h.severity = read_severity(fi, h.decision_record, "findings");
      r.findings.push_back(std::move(h));
    }
  }
  r.summary = in.opt_str("summary", 2000, "检查情况");
  r.lat = in.opt_number("lat", "纬度", -90, 90);
  r.lng = in.opt_number("lng", "经度", -180, 180);
  if (r.lat.has_value() != r.lng.has_value()) throw bad_request("INVALID_VALUE", "位置须同时有经度和纬度", r.lat ? "lng" : "lat");
  return r;
}

// Writes a recording: the inspection done, each finding a hazard tied to it.
void apply_recording(store::Conn& c, const access::Caller& who, long long id, long long venue_id, const std::string& kind,
                     Recording& r) {
  std::string now = now_iso();
  c.exec("UPDATE inspections SET state = 'done', results = ?, summary = ?, lat = ?, lng = ?, inspected_at = ?, updated_at = ? WHERE id = ?",
         {r.results.dump(), r.summary ? store::Value(*r.summary) : store::Value(nullptr),
          r.lat ? store::Value(*r.lat) : store::Value(nullptr), r.lng ? store::Value(*r.lng) : store::Value(nullptr), now, now, id});
  for (auto& h : r.findings) {
    h.source = kind == "patrol" ? "patrol" : "inspection";
    h.venue_id = venue_id;
    h.found_by = who.name;
    h.found_at = now;
    long long hazard_id = insert_hazard(c, who, h);
    c.exec("UPDATE hazards SET inspection_id = ? WHERE id = ?", {id, hazard_id});
    record(c, who, "hazard.report", "hazard", std::to_string(hazard_id), nullptr, hazard_json(c, who, hazard_id, false));
  }
}

std::vector<long long> read_ids(const json& body, const char* field) {
  std::vector<long long> ids;
  if (!body.contains(field) || body[field].is_null()) return ids;
  for (const auto& v : body[field]) {
    long long id = v.get<long long>();
    if (id < 1) throw bad_request("INVALID_VALUE", "编号无效", field);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

void check_inspectors(store::Conn& c, const std::vector<long long>& ids) {
  for (long long id : ids)
    if (!c.row("SELECT id FROM users WHERE id = ? AND status = 'active'", {id}))
      throw bad_request("USER_NOT_FOUND", "检查人员不存在或已停用", "inspectorIds");
}

long long venue_in_scope(store::Db& db, const access::Caller& who, const json& body) {
  long long venue_id = Input(body).integer("venueId", "场所");
  require_venue_in_scope(db, who, venue_id);
  return venue_id;
}

}  // namespace

json checklist_templates(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = json::array();
    for (const auto& r : c.rows("SELECT venue_type, items, updated_at FROM checklist_templates ORDER BY venue_type"))
      items.push_back({{"venueType", r["venue_type"]}, {"items", json::parse(r["items"].get<std::string>())}, {"updatedAt", r["updated_at"]}});
    return json{{"items", items}};
  });
}

json replace_checklist_template(store::Db& db, const access::Caller& who, const std::string& venue_type, const json& body) {
  closed_objects(body, "items", {"code", "label", "category"}, 50);
  json items = json::array();
  std::set<std::string> codes;
  if (!body.contains("items") || body["items"].is_null() || body["items"].empty())
    throw bad_request("REQUIRED", "检查表至少一项", "items");
  return db.write([&](store::Conn& c) {
    if (venue_type != "default" && !c.row("SELECT value FROM dict_items WHERE type_code = 'venue_type' AND value = ?", {venue_type}))
      throw not_found();
    for (const auto& it : body["items"]) {
      Input ii(it);
      std::string code = ii.str("code", 40, "检查项代码"), label = ii.str("label", 200, "检查项"), category = ii.str("category", 40, "隐患类别");
      if (!codes.insert(code).second) throw bad_request("INVALID_VALUE", "检查项代码重复：" + code, "items");
      if (!c.row("SELECT code FROM hazard_categories WHERE code = ?", {category}))
        throw bad_request("INVALID_VALUE", "隐患类别无效：" + category, "items");
      items.push_back({{"code", code}, {"label", label}, {"category", category}});
    }
    auto before = c.text("SELECT items FROM checklist_templates WHERE venue_type = ?", {venue_type});
    std::string now = now_iso();
    c.exec("INSERT INTO checklist_templates (venue_type, items, updated_at) VALUES (?, ?, ?) ON CONFLICT (venue_type) DO UPDATE SET "
           "items = excluded.items, updated_at = excluded.updated_at",
           {venue_type, items.dump(), now});
    record(c, who, "checklist.replace", "checklist_template", venue_type,
           before ? json{{"items", json::parse(*before)}} : json(nullptr), json{{"items", items}});
    return json{{"venueType", venue_type}, {"items", items}, {"updatedAt", now}};
  });
}

json list_inspections(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + inspection_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (*v != "planned" && *v != "done") throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("i.state = ?", *v);
  }
  if (auto v = query_str(q, "kind")) {
    if (!kinds().count(*v)) throw bad_request("INVALID_VALUE", "检查类型无效", "kind");
    f.add("i.kind = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("i.venue_id = ?", *v);
  if (auto v = query_int(q, "drawId")) f.add("i.draw_id = ?", *v);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kInspectionSelect, "FROM inspections i JOIN venues v ON v.id = i.venue_id", f, "i.planned_on DESC, i.id DESC", p);
    for (auto& i : out["items"]) present(c, i);
    return out;
  });
}

json get_inspection(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return scoped_inspection(c, who, id); });
}

json plan_inspection(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  long long venue_id = venue_in_scope(db, who, body);
  std::string kind = in.one_of("kind", "检查类型", {"routine", "special", "patrol"});
  std::string planned_on = in.opt_date("plannedOn", "计划检查日期").value_or(clock::today());
  bool unannounced = in.opt_bool("unannounced").value_or(false);
  std::vector<long long> inspectors = read_ids(body, "inspectorIds");
  if (kind == "patrol" && inspectors.empty()) inspectors.push_back(who.user_id);
  if (kind != "patrol" && !who.has("hazard:assign")) throw forbidden();
  if (kind != "patrol" && inspectors.size() < 2)
    throw bad_request("INSPECTORS_TOO_FEW", "监督检查须由 2 名以上检查人员实施", "inspectorIds");
  return db.write([&](store::Conn& c) {
    check_inspectors(c, inspectors);
    std::string now = now_iso();
    long long id = c.insert("INSERT INTO inspections (venue_id, kind, unannounced, planned_on, state, inspector_ids, created_by, created_at, "
                            "updated_at) VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?)",
                            {venue_id, kind, static_cast<long long>(unannounced), planned_on, json(inspectors).dump(), who.user_id, now, now});
    json after = inspection_json(c, id);
    record(c, who, "inspection.plan", "inspection", std::to_string(id), nullptr, after);
    return after;
  });
}

json record_inspection(store::Db& db, const access::Caller& who, long long id, const json& body) {
  return db.write([&](store::Conn& c) {
    json before = scoped_inspection(c, who, id);
    Recording r = read_recording(body, before["checklist"], before["kind"] != "patrol");
    for (auto& h : r.findings) check_files_exist(c, h.photos, "findings");
    if (before["state"] == "done") throw conflict("INSPECTION_STATE_INVALID", "该检查已记录，不能重复记录");
    const json& ids = before["inspectorIds"];
    if (std::find(ids.begin(), ids.end(), json(who.user_id)) == ids.end())
      throw ApiError(403, "NOT_YOUR_STEP", "检查记录应由选派的检查人员填写");
    apply_recording(c, who, id, before["venueId"], before["kind"], r);
    json after = inspection_json(c, id);
    record(c, who, "inspection.record", "inspection", std::to_string(id), before, after);
    return after;
  });
}

json record_patrol(store::Db& db, const access::Caller& who, const json& body) {
  long long venue_id = venue_in_scope(db, who, body);
  return db.write([&](store::Conn& c) {
    std::string type = *c.text("SELECT type FROM venues WHERE id = ?", {venue_id});
    Recording r = read_recording(body, template_for(c, type), false);
    for (auto& h : r.findings) check_files_exist(c, h.photos, "findings");
    std::string now = now_iso();
    long long id = c.insert("INSERT INTO inspections (venue_id, kind, unannounced, planned_on, state, inspector_ids, created_by, created_at, "
                            "updated_at) VALUES (?, 'patrol', 0, ?, 'planned', ?, ?, ?, ?)",
                            {venue_id, clock::today(), json({who.user_id}).dump(), who.user_id, now, now});
    apply_recording(c, who, id, venue_id, "patrol", r);
    json after = inspection_json(c, id);
    record(c, who, "inspection.patrol", "inspection", std::to_string(id), nullptr, after);
    return after;
  });
}

// ---- 双随机 ----

namespace {

json draw_json(store::Conn& c, const json& row) {
  json d{{"id", store::as_id(row["id"])}, {"name", row["name"]}, {"seed", row["seed"]}, {"createdAt", row["created_at"]},
         {"publishedAt", row["published_at"]}};
  json inputs = json::parse(row["inputs"].get<std::string>());
  d["venueCount"] = inputs["venueCount"];
  d["poolSize"] = inputs["venues"].size();
  d["rosterSize"] = inputs["inspectors"].size();
  d["keyPercent"] = inputs["keyPercent"];
  d["plannedOn"] = inputs["plannedOn"];
  json picks = json::array();
  for (const auto& p : json::parse(row["result"].get<std::string>())) {
    long long venue = p["venueId"];
    auto v = c.row("SELECT name, type FROM venues WHERE id = ?", {venue});
    auto insp = c.row("SELECT id, state FROM inspections WHERE draw_id = ? AND venue_id = ?", {d["id"].get<long long>(), venue});
    long long hazards = insp ? c.scalar("SELECT COUNT(*) FROM hazards WHERE inspection_id = ?", {store::as_id((*insp)["id"])}) : 0;
    picks.push_back({{"venueId", venue},
                     {"venueName", v ? (*v)["name"] : json(nullptr)},
                     {"keyUnit", v && is_key_type((*v)["type"])},
                     {"inspectors", user_names(c, p["inspectorIds"])},
                     {"inspectionId", insp ? json(store::as_id((*insp)["id"])) : json(nullptr)},
                     {"inspectionState", insp ? (*insp)["state"] : json(nullptr)},
                     {"hazardCount", hazards}});
  }
  d["picks"] = picks;
  return d;
}

draw::Inputs inputs_from(const json& j) {
  draw::Inputs in;
  for (const auto& v : j["venues"]) in.venues.push_back({v["id"], v["key"], v["drawnThisYear"]});
  for (const auto& i : j["inspectors"]) in.inspectors.push_back(i);
  for (const auto& c : j["conflicts"]) in.conflicts.insert({c[0].get<long long>(), c[1].get<long long>()});
  in.venue_count = j["venueCount"];
  in.inspectors_per_venue = j["inspectorsPerVenue"];
  in.key_percent = j["keyPercent"];
  return in;
}

json result_json(const draw::Result& r) {
  json out = json::array();
  for (const auto& p : r.picks) out.push_back({{"venueId", p.venue_id}, {"inspectorIds", p.inspectors}});
  return out;
}

}  // namespace

json list_draws(store::Db& db, const QueryMap& q) {
  Paging p = paging(q);
  return db.read([&](store::Conn& c) {
    json rows = c.rows("SELECT * FROM draws ORDER BY id DESC" + limit_sql(p.size, p.offset()));
    json items = json::array();
    for (const auto& r : rows) items.push_back(draw_json(c, r));
    return json{{"items", items}, {"total", c.scalar("SELECT COUNT(*) FROM draws")}};
  });
}

json get_draw(store::Db& db, long long id) {
  return db.read([&](store::Conn& c) {
    auto row = c.row("SELECT * FROM draws WHERE id = ?", {id});
    if (!row) throw not_found();
    json d = draw_json(c, *row);
    d["inputs"] = json::parse((*row)["inputs"].get<std::string>());
    return d;
  });
}

json create_draw(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  std::string name = in.str("name", 100, "抽查任务名称");
  int count = static_cast<int>(in.integer("venueCount", "抽取场所数", 1, 500));
  int per = static_cast<int>(in.opt_integer("inspectorsPerVenue", "每处检查人员数", 2, 5).value_or(2));
  int key_percent = static_cast<int>(in.opt_integer("keyPercent", "重点单位占比", 0, 100).value_or(70));
  std::string planned_on = in.date("plannedOn", "计划检查日期");
  if (planned_on < clock::today()) throw bad_request("DEADLINE_IN_PAST", "计划检查日期不能早于今天", "plannedOn");
  uint64_t seed = 0;
  if (auto s = in.opt_str("seed", 20, "随机种子")) {
    if (s->find_first_not_of("0123456789") != std::string::npos) throw bad_request("INVALID_VALUE", "随机种子须为数字", "seed");
    try {
      seed = std::stoull(*s);
    } catch (const std::exception&) {
      throw bad_request("INVALID_VALUE", "随机种子过大", "seed");
    }
  } else {
    randombytes_buf(&seed, sizeof seed);
  }
  std::vector<std::string> types = in.str_list("venueTypes", 40, 40, "场所类型");
  std::vector<long long> roster_filter = read_ids(body, "inspectorIds");
  closed_objects(body, "conflicts", {"inspectorId", "venueId"}, 200);
  std::set<std::pair<long long, long long>> extra_conflicts;
  if (body.contains("conflicts") && body["conflicts"].is_array())
    for (const auto& c : body["conflicts"]) {
      Input ci(c);
      extra_conflicts.insert({ci.integer("inspectorId", "检查人员"), ci.integer("venueId", "场所")});
    }

  return db.write([&](store::Conn& c) {
    // 检查对象名录: crowded places (optionally of some types); 执法检查人员名录: active officers and inspectors.
    std::string year = clock::today().substr(0, 4);
    json venues = json::array();
    for (const auto& v : c.rows("SELECT v.id, v.type, v.manager_user_id, (SELECT COUNT(*) FROM inspections i WHERE i.venue_id = v.id AND "
                                "i.draw_id IS NOT NULL AND i.planned_on >= ?) AS drawn FROM venues v WHERE v.crowded = 1 ORDER BY v.id",
                                {year + "-01-01"})) {
      if (!types.empty() && std::find(types.begin(), types.end(), v["type"].get<std::string>()) == types.end()) continue;
      venues.push_back({{"id", store::as_id(v["id"])}, {"key", is_key_type(v["type"])}, {"drawnThisYear", store::as_id(v["drawn"]) > 0},
                        {"manager", v["manager_user_id"].is_null() ? 0 : store::as_id(v["manager_user_id"])}});
    }
    json roster = json::array();
    for (const auto& u : c.rows("SELECT u.id FROM users u JOIN roles r ON r.id = u.role_id WHERE u.status = 'active' AND "
                                "r.key IN ('inspector', 'officer') ORDER BY u.id")) {
      long long id = store::as_id(u["id"]);
      if (roster_filter.empty() || std::find(roster_filter.begin(), roster_filter.end(), id) != roster_filter.end()) roster.push_back(id);
    }
    // Conflicts of interest: an inspector who manages the venue, and those the draw names.
    json conflicts = json::array();
    for (const auto& v : venues)
      for (const auto& i : roster)
        if (v["manager"] == i || extra_conflicts.count({i.get<long long>(), v["id"].get<long long>()}))
          conflicts.push_back({i, v["id"]});
    for (auto& v : venues) v.erase("manager");
    json inputs{{"venues", venues},       {"inspectors", roster},   {"conflicts", conflicts},       {"venueCount", count},
                {"inspectorsPerVenue", per}, {"keyPercent", key_percent}, {"plannedOn", planned_on}, {"venueTypes", types}};
    draw::Result r = draw::run(inputs_from(inputs), seed);
    if (!r.problem.empty()) throw bad_request("DRAW_IMPOSSIBLE", r.problem, "venueCount");
    json result = result_json(r);
    std::string now = now_iso();
    long long id = c.insert("INSERT INTO draws (name, seed, inputs, result, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                            {name, std::to_string(seed), inputs.dump(), result.dump(), who.user_id, now});
    for (const auto& p : r.picks)
      c.insert("INSERT INTO inspections (venue_id, kind, unannounced, planned_on, state, inspector_ids, draw_id, created_by, created_at, "
               "updated_at) VALUES (?, 'random', 0, ?, 'planned', ?, ?, ?, ?, ?)",
               {p.venue_id, planned_on, json(p.inspectors).dump(), id, who.user_id, now, now});
    json after = draw_json(c, *c.row("SELECT * FROM draws WHERE id = ?", {id}));
    record(c, who, "draw.create", "draw", std::to_string(id), nullptr, json{{"seed", std::to_string(seed)}, {"result", result}});
    return after;
  });
}

json verify_draw(store::Db& db, long long id) {
  return db.read([&](store::Conn& c) {
    auto row = c.row("SELECT seed, inputs, result FROM draws WHERE id = ?", {id});
    if (!row) throw not_found();
    json inputs = json::parse((*row)["inputs"].get<std::string>());
    draw::Result r = draw::run(inputs_from(inputs), std::stoull((*row)["seed"].get<std::string>()));
    json again = result_json(r);
    return json{{"matches", again == json::parse((*row)["result"].get<std::string>())}, {"result", again}};
  });
}

json publish_draw(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    auto row = c.row("SELECT * FROM draws WHERE id = ?", {id});
    if (!row) throw not_found();
    if (!(*row)["published_at"].is_null()) throw conflict("ALREADY_PUBLISHED", "该抽查结果已公开");
    c.exec("UPDATE draws SET published_at = ? WHERE id = ?", {now_iso(), id});
    json after = draw_json(c, *c.row("SELECT * FROM draws WHERE id = ?", {id}));
    record(c, who, "draw.publish", "draw", std::to_string(id), nullptr, json{{"publishedAt", after["publishedAt"]}});
    return after;
  });
}

json public_draws(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = json::array();
    for (const auto& r : c.rows("SELECT * FROM draws WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 50")) {
      json d = draw_json(c, r);
      json out{{"name", d["name"]}, {"seed", d["seed"]}, {"createdAt", d["createdAt"]}, {"publishedAt", d["publishedAt"]},
               {"plannedOn", d["plannedOn"]}, {"poolSize", d["poolSize"]}, {"picks", json::array()}};
      for (const auto& p : d["picks"]) {
        json names = json::array();
        for (const auto& i : p["inspectors"]) names.push_back(i["name"]);
        out["picks"].push_back({{"venueName", p["venueName"]}, {"inspectors", names}, {"inspectionState", p["inspectionState"]},
                                {"hazardCount", p["hazardCount"]}});
      }
      items.push_back(out);
    }
    return json{{"items", items}};
  });
}

}  // namespace huoyan::app
