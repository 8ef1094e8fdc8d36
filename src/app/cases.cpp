#include "app/cases.h"

#include <algorithm>
#include <map>

#include "app/audit.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/registries.h"
#include "domain/clock.h"
#include "domain/deidentify.h"
#include "domain/errors.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

const std::map<std::string, std::string>& state_labels() {
  static const std::map<std::string, std::string> m = {
      {"open", "立案调查"}, {"decided", "已作出处罚决定"}, {"referred", "已移交执法部门"}, {"closed", "已结案"}};
  return m;
}
const std::map<std::string, std::string>& penalty_labels() {
  static const std::map<std::string, std::string> m = {
      {"warning", "警告"}, {"fine", "罚款"}, {"suspend", "责令停产停业"}, {"detention", "行政拘留"}, {"other", "其他"}};
  return m;
}
const std::map<std::string, std::string>& referral_labels() {
  static const std::map<std::string, std::string> m = {
      {"pending", "待接收"}, {"accepted", "已接收"}, {"returned", "已退回"}, {"concluded", "已办结"}};
  return m;
}

const char* kCaseSelect =
    "SELECT k.id, k.number, k.source_type AS \"sourceType\", k.source_id AS \"sourceId\", k.venue_id AS \"venueId\", "
    "v.name AS \"venueName\", k.unit_id AS \"unitId\", k.party_name AS \"partyName\", k.responsible_persons AS \"responsiblePersons\", "
    "k.title, k.facts, k.legal_basis AS \"legalBasis\", k.state, k.decision_number AS \"decisionNumber\", k.decided_on AS \"decidedOn\", "
    "k.referral, k.closed_at AS \"closedAt\", k.created_at AS \"createdAt\", k.updated_at AS \"updatedAt\", k.version "
    "FROM cases k JOIN venues v ON v.id = k.venue_id";

std::string case_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = k.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = k.venue_id"},
      {"k.created_by"}, p);
}

json case_json(store::Conn& c, long long id, bool full) {
  auto row = c.row(std::string(kCaseSelect) + " WHERE k.id = ?", {id});
  if (!row) throw not_found();
  json k = *row;
  store::as_int(k, {"id", "sourceId", "venueId", "unitId", "version"});
  k["stateLabel"] = state_labels().at(k["state"]);
  k["responsiblePersons"] = json::parse(k["responsiblePersons"].get<std::string>());
  k["referral"] = k["referral"].is_string() ? json::parse(k["referral"].get<std::string>()) : json(nullptr);
  if (k["referral"].is_object()) k["referral"]["statusLabel"] = referral_labels().at(k["referral"]["status"]);
  json penalties = c.rows("SELECT target, name, role, kind, amount, note FROM case_penalties WHERE case_id = ? ORDER BY id", {id});
  for (auto& p : penalties) {
    p["kindLabel"] = penalty_labels().at(p["kind"]);
    store::as_number(p, {"amount"});
  }
  k["penalties"] = penalties;
  auto exposure = c.row("SELECT id, title, summary, published_at AS \"publishedAt\", withdrawn_at AS \"withdrawnAt\" FROM exposures "
                        "WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                        {id});
  if (exposure) store::as_int(*exposure, {"id"});
  k["exposure"] = exposure ? *exposure : json(nullptr);
  if (full) {
    k["timeline"] = c.rows("SELECT at, action, by_name AS \"by\", note FROM case_events WHERE case_id = ? ORDER BY id", {id});
  }
  return k;
}

void scoped(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = case_scope(who, p);
  if (!c.row("SELECT k.id FROM cases k WHERE k.id = ? AND " + cond, p)) throw not_found();
}

void add_event(store::Conn& c, const access::Caller& who, long long id, const std::string& action, const std::string& note) {
  c.insert("INSERT INTO case_events (case_id, at, action, by_name, note) VALUES (?, ?, ?, ?, ?)", {id, now_iso(), action, who.name, note});
}

struct Penalty {
  std::string target, name, role, kind, note;
  std::optional<double> amount;
};

Penalty read_penalty(const json& o, const char* field, const std::string& target) {
  Input in(o);
  in.only_fields({"name", "role", "kind", "amount", "note"}, field);
  Penalty p;
  p.target = target;
  if (target == "person") {
    p.name = in.str("name", 50, "被处罚人姓名");
    p.role = in.str("role", 50, "被处罚人职务（主要负责人、直接责任人等）");
  }
  p.kind = in.one_of("kind", "处罚种类", {"warning", "fine", "suspend", "detention", "other"});
  p.amount = in.opt_number("amount", "罚款金额（元）", 0, 1e9);
  if (p.kind == "fine" && (!p.amount || *p.amount <= 0)) throw bad_request("REQUIRED", "罚款须填写金额", field);
  if (p.kind == "detention" && target == "unit") throw bad_request("INVALID_VALUE", "行政拘留只适用于个人", field);
  p.note = in.opt_str("note", 500, "说明").value_or("");
  return p;
}

}  // namespace

json list_cases(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + case_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (!state_labels().count(*v)) throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("k.state = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("k.venue_id = ?", *v);
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(k.number LIKE ? OR k.title LIKE ? OR k.party_name LIKE ?)", like, like, like);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, "SELECT k.id FROM cases k JOIN venues v ON v.id = k.venue_id", "FROM cases k JOIN venues v ON v.id = k.venue_id",
                       f, "k.id DESC", p);
    json items = json::array();
    for (const auto& r : out["items"]) items.push_back(case_json(c, store::as_id(r["id"]), false));
    out["items"] = items;
    return out;
  });
}

json get_case(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    scoped(c, who, id);
    return case_json(c, id, true);
  });
}

json open_case(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  std::string source = in.one_of("sourceType", "案件来源", {"hazard", "report", "alert", "other"});
  auto source_id = in.opt_integer("sourceId", "来源记录");
  if (source != "other" && !source_id) throw bad_request("REQUIRED", "请选择案件来源记录", "sourceId");
  long long venue_id = in.integer("venueId", "场所");
  auto unit_id = in.opt_integer("unitId", "当事单位");
  auto party = in.opt_str("partyName", 100, "当事单位名称");
  std::string title = in.str("title", 200, "案由");
  std::string facts = in.str("facts", 4000, "违法事实");
  std::string basis = in.opt_str("legalBasis", 1000, "处罚依据").value_or("");
  json persons = json::array();
  if (body.contains("responsiblePersons") && body["responsiblePersons"].is_array()) {
    if (body["responsiblePersons"].size() > 10) throw bad_request("INVALID_VALUE", "责任人员最多 10 人", "responsiblePersons");
    for (const auto& o : body["responsiblePersons"]) {
      Input pi(o);
      pi.only_fields({"name", "role"}, "responsiblePersons");
      persons.push_back({{"name", pi.str("name", 50, "责任人员姓名")}, {"role", pi.str("role", 50, "责任人员职务")}});
    }
  }
  require_venue_in_scope(db, who, venue_id);
  return db.write([&](store::Conn& c) {
    // The source must exist and concern the same venue.
    if (source != "other") {
      const char* sql = source == "hazard" ? "SELECT venue_id FROM hazards WHERE id = ?"
                        : source == "report" ? "SELECT venue_id FROM public_reports WHERE id = ?"
                                             : "SELECT venue_id FROM alerts WHERE id = ?";
      auto src = c.row(sql, {*source_id});
      if (!src) throw bad_request("SOURCE_NOT_FOUND", "来源记录不存在", "sourceId");
      if ((*src)["venue_id"].is_null() || store::as_id((*src)["venue_id"]) != venue_id)
        throw bad_request("SOURCE_NOT_FOUND", "来源记录不属于该场所", "sourceId");
    }
    std::string party_name = party.value_or("");
    if (unit_id) {
      auto u = c.text("SELECT name FROM units WHERE id = ?", {*unit_id});
      if (!u) throw bad_request("UNIT_NOT_FOUND", "单位不存在", "unitId");
      if (party_name.empty()) party_name = *u;
    }
    if (party_name.empty()) party_name = *c.text("SELECT name FROM venues WHERE id = ?", {venue_id});
    std::string number = next_yearly_number(c, "case", "AJ");
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO cases (number, source_type, source_id, venue_id, unit_id, party_name, responsible_persons, title, facts, legal_basis, "
        "state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
        {number, source, source_id ? store::Value(*source_id) : store::Value(nullptr), venue_id,
         unit_id ? store::Value(*unit_id) : store::Value(nullptr), party_name, persons.dump(), title, facts, basis, who.user_id, now, now});
    add_event(c, who, id, "open", title);
    json after = case_json(c, id, true);
    record(c, who, "case.open", "case", std::to_string(id), nullptr, after);
    return after;
  });
}

json run_case_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body) {
  // Fields first: a bad body is a 400 whatever the case's state.
  Input in(body);
  std::vector<Penalty> penalties;
  std::string decision_number, decided_on, department, status, title, summary;
  std::optional<std::string> note;
  if (name == "penalize") {
    decision_number = in.str("decisionNumber", 100, "处罚决定书文号");
    decided_on = in.date("decidedOn", "决定日期");
    if (decided_on > clock::today()) throw bad_request("INVALID_VALUE", "决定日期不能晚于今天", "decidedOn");
    if (!in.has("unitPenalty")) throw bad_request("REQUIRED", "请填写对单位的处罚", "unitPenalty");
    penalties.push_back(read_penalty(body["unitPenalty"], "unitPenalty", "unit"));
    if (!in.has("personPenalties") || body["personPenalties"].empty())
      throw bad_request("DOUBLE_PENALTY_REQUIRED", "一案双罚：须同时处罚单位及其主要负责人或直接责任人员", "personPenalties");
    if (body["personPenalties"].size() > 10) throw bad_request("INVALID_VALUE", "被处罚人员最多 10 人", "personPenalties");
    for (const auto& o : body["personPenalties"]) penalties.push_back(read_penalty(o, "personPenalties", "person"));
  } else if (name == "refer") {
    department = in.str("department", 100, "接收部门");
    note = in.opt_str("note", 1000, "移交说明");
  } else if (name == "referral") {
    status = in.one_of("status", "移交办理状态", {"accepted", "returned", "concluded"});
    note = in.opt_str("result", 1000, "办理结果");
  } else if (name == "close") {
    note = in.opt_str("note", 1000, "结案说明");
  } else if (name == "expose") {
    title = in.str("title", 200, "曝光标题");
    summary = in.str("summary", 4000, "曝光内容");
  } else {
    throw not_found();
  }
  return db.write([&](store::Conn& c) {
    scoped(c, who, id);
    json before = case_json(c, id, false);
    std::string state = before["state"];
    auto refuse = [&](const std::string& what) {
      return conflict("CASE_STATE_INVALID", "案件当前为「" + state_labels().at(state) + "」，不能" + what);
    };
    std::string now = now_iso(), event_note;
    if (name == "penalize") {
      if (state != "open") throw refuse("作出处罚决定");
      for (const auto& p : penalties)
        c.insert("INSERT INTO case_penalties (case_id, target, name, role, kind, amount, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 {id, p.target, p.target == "unit" ? before["partyName"].get<std::string>() : p.name, p.role, p.kind,
                  p.amount ? store::Value(*p.amount) : store::Value(nullptr), p.note});
      c.exec("UPDATE cases SET state = 'decided', decision_number = ?, decided_on = ? WHERE id = ?", {decision_number, decided_on, id});
      event_note = decision_number + "：单位及 " + std::to_string(penalties.size() - 1) + " 名责任人员";
    } else if (name == "refer") {
      if (state != "open" && state != "decided") throw refuse("移交");
      c.exec("UPDATE cases SET state = 'referred', referral = ? WHERE id = ?",
             {json{{"department", department}, {"note", note.value_or("")}, {"at", now}, {"status", "pending"}, {"result", ""}}.dump(), id});
      event_note = "移交" + department;
    } else if (name == "referral") {
      if (state != "referred") throw refuse("更新移交办理情况");
      json r = before["referral"];
      r.erase("statusLabel");
      r["status"] = status;
      r["result"] = note.value_or("");
      r["updatedAt"] = now;
      c.exec("UPDATE cases SET referral = ? WHERE id = ?", {r.dump(), id});
      event_note = referral_labels().at(status) + (note ? "：" + *note : "");
    } else if (name == "close") {
      bool referral_done = before["referral"].is_object() && before["referral"]["status"] == "concluded";
      if (!(state == "decided" || (state == "referred" && referral_done))) throw refuse("结案（须已作出处罚决定，或移交办结）");
      c.exec("UPDATE cases SET state = 'closed', closed_at = ? WHERE id = ?", {now, id});
      event_note = note.value_or("");
    } else {  // expose
      if (before["penalties"].empty()) throw refuse("曝光（须已作出处罚决定）");
      if (before["exposure"].is_object() && before["exposure"]["withdrawnAt"].is_null()) throw conflict("ALREADY_EXPOSED", "该案件已曝光");
      std::vector<std::string> names;
      for (const auto& p : before["responsiblePersons"]) names.push_back(p["name"]);
      for (const auto& p : before["penalties"])
        if (p["target"] == "person") names.push_back(p["name"]);
      c.insert("INSERT INTO exposures (case_id, title, summary, venue_name, published_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
               {id, deidentify::text(title, names), deidentify::text(summary, names), before["venueName"].get<std::string>(), now,
                who.user_id});
      event_note = "警示曝光";
    }
    c.exec("UPDATE cases SET updated_at = ?, version = version + 1 WHERE id = ?", {now, id});
    add_event(c, who, id, name, event_note);
    json after = case_json(c, id, true);
    record(c, who, "case." + name, "case", std::to_string(id), before, after);
    return after;
  });
}

json withdraw_exposure(store::Db& db, const access::Caller& who, long long id) {
  return db.write([&](store::Conn& c) {
    auto e = c.row("SELECT case_id, withdrawn_at FROM exposures WHERE id = ?", {id});
    if (!e) throw not_found();
    long long case_id = store::as_id((*e)["case_id"]);
    scoped(c, who, case_id);
    if (!(*e)["withdrawn_at"].is_null()) throw conflict("ALREADY_WITHDRAWN", "该曝光已撤下");
    c.exec("UPDATE exposures SET withdrawn_at = ? WHERE id = ?", {now_iso(), id});
    add_event(c, who, case_id, "withdraw", "撤下曝光");
    json after = case_json(c, case_id, true);
    record(c, who, "case.withdraw_exposure", "case", std::to_string(case_id), nullptr, after["exposure"]);
    return after;
  });
}

json public_exposures(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = json::array();
    for (const auto& e : c.rows("SELECT e.id, e.case_id, e.title, e.summary, e.venue_name AS \"venueName\", e.published_at AS \"publishedAt\" "
                                "FROM exposures e WHERE e.withdrawn_at IS NULL ORDER BY e.published_at DESC, e.id DESC LIMIT 100")) {
      json penalties = json::array();
      for (const auto& p : c.rows("SELECT target, kind, amount FROM case_penalties WHERE case_id = ? ORDER BY id", {store::as_id(e["case_id"])})) {
        std::string text = std::string(p["target"] == "unit" ? "单位" : "责任人员") + penalty_labels().at(p["kind"]);
        if (!p["amount"].is_null()) {
          double amount = p["amount"].is_string() ? std::stod(p["amount"].get<std::string>()) : p["amount"].get<double>();
          char buf[32];
          std::snprintf(buf, sizeof buf, amount == static_cast<double>(static_cast<long long>(amount)) ? "%.0f" : "%.2f", amount);
          text += " " + std::string(buf) + " 元";
        }
        penalties.push_back(text);
      }
      items.push_back({{"id", store::as_id(e["id"])}, {"title", e["title"]}, {"summary", e["summary"]}, {"venueName", e["venueName"]},
                       {"publishedAt", e["publishedAt"]}, {"penalties", penalties}});
    }
    return json{{"items", items}};
  });
}

bool credit_restricted(store::Conn& c, long long unit_id) {
  return c.row("SELECT id FROM credit_marks WHERE unit_id = ? AND lifted_at IS NULL", {unit_id}).has_value();
}

json list_credit_marks(store::Db& db, const QueryMap& q) {
  Filter f;
  if (auto v = query_int(q, "unitId")) f.add("m.unit_id = ?", *v);
  if (auto v = query_bool(q, "active")) f.sql += *v ? " AND m.lifted_at IS NULL" : " AND m.lifted_at IS NOT NULL";
  return db.read([&](store::Conn& c) {
    json out = page_of(c,
                       "SELECT m.id, m.unit_id AS \"unitId\", u.name AS \"unitName\", u.credit_code AS \"creditCode\", m.case_id AS \"caseId\", "
                       "m.reason, m.marked_at AS \"markedAt\", m.lifted_at AS \"liftedAt\", m.lift_reason AS \"liftReason\" "
                       "FROM credit_marks m JOIN units u ON u.id = m.unit_id",
                       "FROM credit_marks m", f, "m.id DESC", paging(q));
    store::as_int(out["items"], {"id", "unitId", "caseId"});
    for (auto& m : out["items"]) m["active"] = m["liftedAt"].is_null();
    return out;
  });
}

json mark_credit(store::Db& db, const access::Caller& who, long long unit_id, const json& body) {
  Input in(body);
  std::string reason = in.str("reason", 500, "纳入失信联合惩戒的理由");
  auto case_id = in.opt_integer("caseId", "关联案件");
  return db.write([&](store::Conn& c) {
    if (!c.row("SELECT id FROM units WHERE id = ?", {unit_id})) throw not_found();
    if (case_id) {
      auto k = c.row("SELECT unit_id FROM cases WHERE id = ?", {*case_id});
      if (!k) throw bad_request("CASE_NOT_FOUND", "案件不存在", "caseId");
      if ((*k)["unit_id"].is_null() || store::as_id((*k)["unit_id"]) != unit_id)
        throw bad_request("CASE_NOT_FOUND", "该案件的当事单位不是此单位", "caseId");
    }
    if (credit_restricted(c, unit_id))
      throw conflict("ALREADY_MARKED", "该单位已在失信联合惩戒名单中");
    long long id = c.insert("INSERT INTO credit_marks (unit_id, case_id, reason, marked_at, marked_by) VALUES (?, ?, ?, ?, ?)",
                            {unit_id, case_id ? store::Value(*case_id) : store::Value(nullptr), reason, now_iso(), who.user_id});
    json after{{"id", id}, {"unitId", unit_id}, {"caseId", case_id ? json(*case_id) : json(nullptr)}, {"reason", reason}, {"active", true}};
    record(c, who, "credit.mark", "unit", std::to_string(unit_id), nullptr, after);
    return after;
  });
}

json lift_credit_mark(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Input in(body);
  std::string reason = in.str("reason", 500, "移出名单的理由（信用修复）");
  return db.write([&](store::Conn& c) {
    auto m = c.row("SELECT unit_id, lifted_at FROM credit_marks WHERE id = ?", {id});
    if (!m) throw not_found();
    if (!(*m)["lifted_at"].is_null()) throw conflict("ALREADY_LIFTED", "该记录已移出名单");
    c.exec("UPDATE credit_marks SET lifted_at = ?, lift_reason = ? WHERE id = ?", {now_iso(), reason, id});
    json after{{"id", id}, {"unitId", store::as_id((*m)["unit_id"])}, {"active", false}, {"liftReason", reason}};
    record(c, who, "credit.lift", "unit", std::to_string(store::as_id((*m)["unit_id"])), nullptr, after);
    return after;
  });
}

}  // namespace huoyan::app
