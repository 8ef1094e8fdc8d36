#include "app/market.h"

#include <cmath>
#include <map>
#include <set>

#include "app/audit.h"
#include "app/cases.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/registries.h"
#include "app/rules.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/permit.h"
#include "domain/permit_rules.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

constexpr int kMaxWorkers = 20;
constexpr int kMaxWindowDays = 90;

const std::map<std::string, std::string>& request_labels() {
  static const std::map<std::string, std::string> m = {
      {"open", "征集中"}, {"expired", "已过期"}, {"awarded", "已选定"}, {"done", "已完成"}, {"cancelled", "已撤销"}};
  return m;
}
const std::map<std::string, std::string>& offer_labels() {
  static const std::map<std::string, std::string> m = {
      {"pending", "待选定"}, {"accepted", "已选定"}, {"declined", "未选定"}, {"withdrawn", "已撤回"}};
  return m;
}

const char* kRequestSelect =
    "SELECT r.id, r.number, r.venue_id AS \"venueId\", v.name AS \"venueName\", v.address AS \"venueAddress\", "
    "o.name AS \"villageName\", r.title, r.description, r.place, r.methods, r.window_start AS \"windowStart\", "
    "r.window_end AS \"windowEnd\", r.workers_needed AS \"workersNeeded\", r.budget, r.contact_name AS \"contactName\", "
    "r.contact_phone AS \"contactPhone\", r.state, r.awarded_offer_id AS \"awardedOfferId\", r.close_note AS \"closeNote\", r.rating, "
    "r.created_by AS \"createdBy\", r.created_at AS \"createdAt\", r.updated_at AS \"updatedAt\", "
    "(SELECT COUNT(*) FROM work_offers oc WHERE oc.request_id = r.id AND oc.state IN ('pending', 'accepted')) AS \"offerCount\", "
    "(SELECT un.name FROM work_offers oa JOIN units un ON un.id = oa.unit_id WHERE oa.id = r.awarded_offer_id) AS \"awardedUnitName\" "
    "FROM work_requests r JOIN venues v ON v.id = r.venue_id JOIN org_units o ON o.id = v.org_unit_id";

// Requests the caller may read: the venue's side (venue_scope: officials over the venue, its manager, whoever
// registered it), and for construction units every open request and those their units answered (unit_scope: its own
// unit, or one it registered; any unit for 全部数据).
std::string request_scope(const access::Caller& who, store::Params& p) {
  std::string cond = "(" + venue_scope(who, p);
  if (who.has("market:offer")) {
    cond += " OR r.state = 'open' OR EXISTS (SELECT 1 FROM work_offers om JOIN units u ON u.id = om.unit_id WHERE om.request_id = r.id AND " +
            unit_scope(who, p) + ")";
  }
  return cond + ")";
}

bool is_venue_side(store::Conn& c, const access::Caller& who, long long venue_id) {
  store::Params p{venue_id};
  std::string cond = venue_scope(who, p);
  return c.row("SELECT v.id FROM venues v WHERE v.id = ? AND " + cond, p).has_value();
}

// Those of `unit_ids` the caller answers for (a construction unit: its own).
std::set<long long> units_answered_for(store::Conn& c, const access::Caller& who, const std::vector<long long>& unit_ids) {
  std::set<long long> out;
  if (unit_ids.empty() || !who.has("market:offer")) return out;
  store::Params p;
  std::string ids = store::in_list(unit_ids, p);
  std::string cond = unit_scope(who, p);
  for (const auto& r : c.rows("SELECT u.id FROM units u WHERE u.id IN " + ids + " AND " + cond, p)) out.insert(store::as_id(r["id"]));
  return out;
}

bool answers_for(store::Conn& c, const access::Caller& who, long long unit_id) {
  return !units_answered_for(c, who, {unit_id}).empty();
}

json request_json(store::Conn& c, const json& row) {
  json k = row;
  store::as_int(k, {"id", "venueId", "workersNeeded", "createdBy", "offerCount"});
  for (const char* key : {"awardedOfferId", "rating"})
    if (!k[key].is_null()) k[key] = store::as_id(k[key]);
  store::as_number(k, {"budget"});
  personal::open_field(c.db(), k, "contactPhone");
  // An open request whose period has passed takes no more answers: it reads as expired without a timer.
  k["expired"] = k["state"] == "open" && k["windowEnd"].get<std::string>() < clock::today();
  k["stateLabel"] = request_labels().at(k["expired"].get<bool>() ? "expired" : k["state"].get<std::string>());
  k["methods"] = json::parse(k["methods"].get<std::string>());
  auto labels = load_dict_labels(c);
  json method_labels = json::array();
  for (const auto& m : k["methods"]) method_labels.push_back(labels->find("hotwork_method", m.get<std::string>()).value_or(""));
  k["methodLabels"] = method_labels;
  return k;
}

json load_request(store::Conn& c, long long id) {
  auto row = c.row(std::string(kRequestSelect) + " WHERE r.id = ?", {id});
  if (!row) throw not_found();
  return request_json(c, *row);
}

void require_readable(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = request_scope(who, p);
  if (!c.row("SELECT r.id FROM work_requests r JOIN venues v ON v.id = r.venue_id WHERE r.id = ? AND " + cond, p)) throw not_found();
}

// A certificate row aliased `ce` of a kind accepted for hot work (as permit::accepted_kind), valid on `today`, a date
// written into the statement (never user text).
std::string valid_hot_work_cert(const std::string& ce, const std::string& today) {
  return ce + ".status = 'valid' AND " + ce + ".valid_until >= '" + today + "' AND (" + ce + ".kind LIKE 'special_op%' OR " + ce +
         ".kind IN ('construction_welder', 'special_equipment_welding'))";
}

// Each unit's standing as a venue sees it when choosing, by unit id: one statement for all of them.
std::map<long long, json> unit_standings(store::Conn& c, const std::vector<long long>& unit_ids) {
  std::map<long long, json> out;
  if (unit_ids.empty()) return out;
  store::Params p;
  std::string rated_ids = store::in_list(unit_ids, p), ids = store::in_list(unit_ids, p);  // in the statement's order
  for (auto row : c.rows("SELECT u.id, (SELECT COUNT(DISTINCT p.id) FROM people p JOIN certificates ce ON ce.person_id = p.id "
                         "WHERE p.unit_id = u.id AND " + valid_hot_work_cert("ce", clock::today()) + ") AS \"certifiedPeople\", "
                         "(SELECT COUNT(*) FROM machines m WHERE m.unit_id = u.id AND m.status = 'active' AND m.chip_id IS NOT NULL) "
                         "AS \"chippedMachines\", "
                         "(SELECT COUNT(*) FROM credit_marks cm WHERE cm.unit_id = u.id AND cm.lifted_at IS NULL) AS \"creditMarks\", "
                         "COALESCE(rated.n, 0) AS ratings, rated.total AS \"ratingSum\" FROM units u LEFT JOIN "
                         "(SELECT wo.unit_id, COUNT(*) AS n, SUM(wr.rating) AS total FROM work_offers wo JOIN work_requests wr "
                         "ON wr.id = wo.request_id AND wr.awarded_offer_id = wo.id WHERE wo.state = 'accepted' AND wr.rating IS NOT NULL "
                         "AND wo.unit_id IN " + rated_ids + " GROUP BY wo.unit_id) rated ON rated.unit_id = u.id "
                         "WHERE u.id IN " + ids, p)) {
    store::as_int(row, {"id", "certifiedPeople", "chippedMachines", "creditMarks", "ratings"});
    // The mean of the unit's ratings to one decimal, null before its first.
    long long ratings = row["ratings"];
    row["rating"] = ratings ? json(std::round(static_cast<double>(store::as_id(row["ratingSum"])) * 10 / ratings) / 10) : json(nullptr);
    row.erase("ratingSum");
    long long id = row["id"];
    row.erase("id");
    out.emplace(id, std::move(row));
  }
  return out;
}

// The people answers name, by id, each with the certificate that lasts longest (null without a valid one).
std::map<long long, json> named_people(store::Conn& c, const std::set<long long>& ids) {
  std::map<long long, json> out;
  if (ids.empty()) return out;
  store::Params p;
  std::string in = store::in_list(ids, p);
  for (const auto& r : c.rows("SELECT id, name FROM people WHERE id IN " + in, p)) {
    long long id = store::as_id(r["id"]);
    out.emplace(id, json{{"id", id}, {"name", r["name"]}, {"certificate", nullptr}});
  }
  for (auto r : c.rows("SELECT ce.person_id, ce.number, k.label AS \"kindLabel\", ce.valid_until AS \"validUntil\" FROM certificates ce "
                       "LEFT JOIN dict_items k ON k.type_code = 'certificate_type' AND k.value = ce.kind "
                       "WHERE ce.person_id IN " + in + " AND ce.status = 'valid' ORDER BY ce.person_id, ce.valid_until DESC",
                       p)) {
    auto it = out.find(store::as_id(r["person_id"]));
    if (it == out.end() || !it->second["certificate"].is_null()) continue;  // a person's first row lasts longest
    r.erase("person_id");
    r["number"] = validate::mask_certificate_number(personal::open(c.db(), r["number"].get<std::string>()));
    it->second["certificate"] = std::move(r);
  }
  return out;
}

// Answers (rows of kOfferSelect) with the workers they name and their units' standing, read for all of them at once.
json offers_json(store::Conn& c, const json& rows) {
  std::set<long long> people;
  std::vector<long long> units;
  for (const auto& r : rows) {
    for (const auto& id : json::parse(r["people"].get<std::string>())) people.insert(id.get<long long>());
    units.push_back(store::as_id(r["unitId"]));
  }
  auto named = named_people(c, people);
  auto standings = unit_standings(c, units);
  json out = json::array();
  for (json k : rows) {
    store::as_int(k, {"id", "requestId", "unitId", "createdBy"});
    store::as_number(k, {"price"});
    k["stateLabel"] = offer_labels().at(k["state"]);
    json list = json::array();
    for (const auto& id : json::parse(k["people"].get<std::string>()))
      if (auto it = named.find(id.get<long long>()); it != named.end()) list.push_back(it->second);
    k["people"] = std::move(list);
    k["standing"] = standings[k["unitId"].get<long long>()];
    out.push_back(std::move(k));
  }
  return out;
}

json offer_json(store::Conn& c, const json& row) { return offers_json(c, json::array({row}))[0]; }

const char* kOfferSelect =
    "SELECT o.id, o.request_id AS \"requestId\", o.unit_id AS \"unitId\", u.name AS \"unitName\", u.contact_name AS \"unitContact\", "
    "o.price, o.people, o.note, o.state, o.created_by AS \"createdBy\", o.created_at AS \"createdAt\", o.updated_at AS \"updatedAt\" "
    "FROM work_offers o JOIN units u ON u.id = o.unit_id";

json request_detail(store::Conn& c, const access::Caller& who, long long id) {
  json k = load_request(c, id);
  bool venue = is_venue_side(c, who, k["venueId"].get<long long>());
  json rows = c.rows(std::string(kOfferSelect) + " WHERE o.request_id = ? ORDER BY o.id", {id});
  std::vector<long long> units;
  for (const auto& row : rows) units.push_back(store::as_id(row["unitId"]));
  std::set<long long> mine = units_answered_for(c, who, units);
  json shown = json::array();
  for (auto& row : rows)
    if (venue || mine.count(store::as_id(row["unitId"]))) shown.push_back(std::move(row));
  json offers = offers_json(c, shown);
  bool awarded_to_me = false;
  for (auto& o : offers) {
    o["mine"] = mine.count(o["unitId"].get<long long>()) > 0;
    if (o["mine"] == true && o["state"] == "accepted") awarded_to_me = true;
  }
  k["offers"] = offers;
  k["venueSide"] = venue;
  // The permits the awarded unit applied for this work: for the venue's side and that unit.
  json permits = json::array();
  if (venue || awarded_to_me)
    for (auto row : c.rows("SELECT id, number, state, planned_start AS \"plannedStart\" FROM permits WHERE work_request_id = ? ORDER BY id", {id})) {
      store::as_int(row, {"id"});
      row["stateLabel"] = std::string(permit::state_label(*permit::parse_state(row["state"].get<std::string>())));
      permits.push_back(row);
    }
  k["permits"] = permits;
  if (!venue && !awarded_to_me) k["contactPhone"] = validate::mask_phone(k["contactPhone"].get<std::string>());
  return k;
}

struct Posting {
  long long venue_id = 0;
  std::string title, description, place, window_start, window_end, contact_name, contact_phone;
  std::vector<std::string> methods;
  long long workers = 1;
  std::optional<double> budget;
};

Posting read_posting(const json& body) {
  Input in(body);
  Posting f;
  f.venue_id = in.integer("venueId", "场所");
  f.title = in.str("title", 100, "需求名称");
  f.description = in.str("description", 2000, "作业内容");
  f.place = in.str("place", 200, "动火部位");
  f.methods = in.str_list("methods", 10, 30, "动火方式");
  if (f.methods.empty()) throw bad_request("REQUIRED", "请选择动火方式（电焊、气焊、气割等）", "methods");
  f.window_start = in.date("windowStart", "最早开工日期");
  f.window_end = in.date("windowEnd", "最晚完工日期");
  if (f.window_start < clock::today()) throw bad_request("INVALID_VALUE", "最早开工日期不能早于今天", "windowStart");
  if (f.window_end < f.window_start) throw bad_request("INVALID_VALUE", "最晚完工日期不能早于最早开工日期", "windowEnd");
  if (clock::days_between(f.window_start, f.window_end) >= kMaxWindowDays)
    throw bad_request("INVALID_VALUE", "作业期限最长 " + std::to_string(kMaxWindowDays) + " 天", "windowEnd");
  f.workers = in.integer("workersNeeded", "需要作业人数", 1, kMaxWorkers);
  f.budget = in.opt_number("budget", "预算（元）", 0, 10000000);
  f.contact_name = in.str("contactName", 50, "联系人");
  f.contact_phone = in.str("contactPhone", 20, "联系电话");
  if (!validate::mobile_phone(f.contact_phone)) throw bad_request("INVALID_VALUE", "联系电话须为 11 位手机号", "contactPhone");
  return f;
}

// Each named worker is in the unit and holds an accepted certificate valid for every day of the request.
void check_workers(store::Conn& c, long long unit_id, const std::vector<long long>& ids, const json& request) {
  permit::Window window{clock::day_start(request["windowStart"].get<std::string>()),
                        clock::day_end(request["windowEnd"].get<std::string>())};
  for (long long id : ids) {
    auto p = c.row("SELECT name, citizen_id, unit_id FROM people WHERE id = ?", {id});
    if (!p) throw bad_request("PERSON_NOT_FOUND", "作业人员不存在：#" + std::to_string(id), "peopleIds");
    std::string name = (*p)["name"];
    if ((*p)["unit_id"].is_null() || store::as_id((*p)["unit_id"]) != unit_id)
      throw bad_request("PERSON_NOT_IN_UNIT", name + " 不是本单位的作业人员", "peopleIds");
    std::optional<permit::Violation> problem =
        permit::Violation{"PERSON_NOT_CERTIFIED", "没有动火作业认可的证书", "peopleIds"};
    for (const auto& ce : c.rows("SELECT ce.kind, ce.number, ce.status, ce.valid_until, ce.next_review, hp.citizen_id AS holder "
                                 "FROM certificates ce JOIN people hp ON hp.id = ce.person_id WHERE ce.person_id = ?",
                                 {id})) {
      auto v = permit::check_certificate(certificate_facts(c.db(), ce), personal::open(c.db(), (*p)["citizen_id"].get<std::string>()), window);
      if (!v) {
        problem.reset();
        break;
      }
      problem = v;
    }
    if (problem) throw bad_request("PERSON_NOT_CERTIFIED", name + "：" + problem->message, "peopleIds");
  }
}

void refuse_if_restricted(store::Conn& c, long long unit_id) {
  if (credit_restricted(c, unit_id))
    throw conflict("UNIT_CREDIT_RESTRICTED", "该单位正被实施信用惩戒，惩戒解除前不能通过供需平台承接动火作业");
}

void refuse_unless_open(const json& r) {
  if (r["state"] != "open") throw conflict("REQUEST_NOT_OPEN", "该需求当前为「" + r["stateLabel"].get<std::string>() + "」，不再征集");
  if (r["expired"].get<bool>()) throw conflict("REQUEST_EXPIRED", "该需求的作业期限已过，不再征集");
}

}  // namespace

json list_work_requests(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + request_scope(who, f.params);
  std::string today = clock::today();
  if (auto v = query_str(q, "state")) {
    if (!request_labels().count(*v)) throw bad_request("INVALID_VALUE", "状态无效", "state");
    if (*v == "open") f.add("r.state = 'open' AND r.window_end >= ?", today);
    else if (*v == "expired") f.add("r.state = 'open' AND r.window_end < ?", today);
    else f.add("r.state = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("r.venue_id = ?", *v);
  if (query_bool(q, "mine").value_or(false)) {
    // Mine: posted by the caller, or answered by the caller's units.
    store::Params units;
    std::string cond = unit_scope(who, units);
    f.sql += " AND (r.created_by = ? OR EXISTS (SELECT 1 FROM work_offers mo JOIN units u ON u.id = mo.unit_id WHERE mo.request_id = r.id AND " +
             cond + "))";
    f.params.push_back(who.user_id);
    for (auto& v : units) f.params.push_back(std::move(v));
  }
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(r.number LIKE ? OR r.title LIKE ? OR v.name LIKE ?)", like, like, like);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kRequestSelect, "FROM work_requests r JOIN venues v ON v.id = r.venue_id", f, "r.id DESC", p);
    for (auto& item : out["items"]) {
      item.erase("contactPhone");  // the detail shows it to those who may see it
      item = request_json(c, item);
    }
    return out;
  });
}

json get_work_request(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    require_readable(c, who, id);
    return request_detail(c, who, id);
  });
}

json post_work_request(store::Db& db, const access::Caller& who, const json& body) {
  Posting f = read_posting(body);
  return db.write([&](store::Conn& c) {
    if (!is_venue_side(c, who, f.venue_id)) throw bad_request("VENUE_NOT_FOUND", "场所不存在或不在您的管理范围内", "venueId");
    auto labels = load_dict_labels(c);
    for (const auto& m : f.methods)
      if (!labels->find("hotwork_method", m)) throw bad_request("INVALID_VALUE", "动火方式不在字典中：" + m, "methods");
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO work_requests (number, venue_id, title, description, place, methods, window_start, window_end, workers_needed, "
        "budget, contact_name, contact_phone, state, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
        {next_yearly_number(c, "work_request", "XQ"), f.venue_id, f.title, f.description, f.place, json(f.methods).dump(),
         f.window_start, f.window_end, f.workers, f.budget ? store::Value(*f.budget) : store::Value(nullptr), f.contact_name,
         personal::seal(db, f.contact_phone), who.user_id, now, now});
    record(c, who, "market.request_post", "work_request", std::to_string(id), nullptr, load_request(c, id));
    return request_detail(c, who, id);
  });
}

// A rating of 1-5 in words, as the console's stars name it: "满意（4 星）".
std::string rating_words(long long rating) {
  static const char* const kWords[] = {"很差", "较差", "一般", "满意", "很满意"};
  return std::string(kWords[rating - 1]) + "（" + std::to_string(rating) + " 星）";
}

json run_work_request_command(store::Db& db, const access::Caller& who, long long id, const std::string& name,
                              const json& body) {
  Input in(body);
  std::string note;
  std::optional<long long> rating;
  if (name == "done") {
    note = in.opt_str("note", 1000, "完成情况").value_or("");
    rating = in.opt_integer("rating", "评分（1 至 5 分）", 1, 5);
  } else if (name == "rate") {
    rating = in.integer("rating", "评分（1 至 5 分）", 1, 5);
  } else if (name == "cancel") {
    note = in.str("reason", 1000, "撤销原因");
  } else {
    throw not_found();
  }
  return db.write([&](store::Conn& c) {
    require_readable(c, who, id);
    json before = load_request(c, id);
    if (!is_venue_side(c, who, before["venueId"].get<long long>())) throw forbidden();
    std::string state = before["state"];
    // The units concerned hear of it: the awarded one of done and rate; every one still in the running of cancel.
    auto tell = [&](const std::string& title, const std::string& text, const std::string& offers) {
      std::vector<long long> users;
      for (const auto& o : c.rows("SELECT DISTINCT created_by FROM work_offers WHERE request_id = ? AND " + offers, {id}))
        users.push_back(store::as_id(o["created_by"]));
      notify(c, {.event = "market.closed", .title = title + before["title"].get<std::string>(),
                 .body = before["number"].get<std::string>() + "，" + before["venueName"].get<std::string>() + "。" + text,
                 .link = "/market/" + std::to_string(id), .actor = who.user_id, .permission = "market:read", .users = users});
    };
    if (name == "rate") {
      if (state != "done") throw conflict("REQUEST_STATE_INVALID", "只有已完成的需求可以评价");
      if (!before["rating"].is_null()) throw conflict("REQUEST_ALREADY_RATED", "该需求已评价，不能修改");
      c.exec("UPDATE work_requests SET rating = ?, updated_at = ? WHERE id = ?", {*rating, now_iso(), id});
      record(c, who, "market.request_rate", "work_request", std::to_string(id), before,
             load_request(c, id));
      tell("场所评价了贵单位承接的动火作业：", "评价：" + rating_words(*rating), "state = 'accepted'");
      return request_detail(c, who, id);
    }
    if (name == "done" && state != "awarded")
      throw conflict("REQUEST_STATE_INVALID", "只有已选定承接单位的需求可以确认完成");
    if (name == "cancel" && state != "open" && state != "awarded")
      throw conflict("REQUEST_STATE_INVALID", "该需求当前为「" + before["stateLabel"].get<std::string>() + "」，不能撤销");
    if (name == "done")
      tell("动火作业需求已确认完成：", rating ? "场所评价：" + rating_words(*rating) : "场所暂未评价", "state = 'accepted'");
    else
      tell("动火作业需求已撤销：", "撤销原因：" + note, "state IN ('pending', 'accepted')");
    std::string now = now_iso();
    c.exec("UPDATE work_requests SET state = ?, close_note = ?, rating = ?, updated_at = ? WHERE id = ?",
           {name == "done" ? "done" : "cancelled", note, rating ? store::Value(*rating) : store::Value(nullptr), now, id});
    if (name == "cancel")
      c.exec("UPDATE work_offers SET state = 'declined', updated_at = ? WHERE request_id = ? AND state = 'pending'", {now, id});
    json after = load_request(c, id);
    record(c, who, name == "done" ? "market.request_done" : "market.request_cancel", "work_request", std::to_string(id),
           before, after);
    return request_detail(c, who, id);
  });
}

json submit_work_offer(store::Db& db, const access::Caller& who, long long request_id, const json& body) {
  Input in(body);
  long long unit_id = in.integer("unitId", "应征单位");
  std::vector<long long> people = in.int_list("peopleIds", kMaxWorkers, "作业人员");
  if (people.empty()) throw bad_request("REQUIRED", "请选择拟派的持证作业人员", "peopleIds");
  if (std::set<long long>(people.begin(), people.end()).size() != people.size())
    throw bad_request("INVALID_VALUE", "作业人员重复", "peopleIds");
  std::optional<double> price = in.opt_number("price", "报价（元）", 0, 10000000);
  std::string note = in.opt_str("note", 1000, "说明").value_or("");
  return db.write([&](store::Conn& c) {
    require_readable(c, who, request_id);
    json r = load_request(c, request_id);
    if (!answers_for(c, who, unit_id)) throw bad_request("UNIT_NOT_FOUND", "单位不存在或不是您的单位", "unitId");
    refuse_unless_open(r);
    refuse_if_restricted(c, unit_id);
    long long needed = r["workersNeeded"];
    if (static_cast<long long>(people.size()) < needed)
      throw bad_request("NOT_ENOUGH_WORKERS", "该需求需要 " + std::to_string(needed) + " 名作业人员，请至少拟派 " + std::to_string(needed) + " 人",
                        "peopleIds");
    check_workers(c, unit_id, people, r);
    std::string now = now_iso();
    store::Value price_value = price ? store::Value(*price) : store::Value(nullptr);
    auto earlier = c.row(std::string(kOfferSelect) + " WHERE o.request_id = ? AND o.unit_id = ?", {request_id, unit_id});
    long long id;
    json before = nullptr;
    if (earlier) {
      before = offer_json(c, *earlier);
      id = before["id"];
      c.exec("UPDATE work_offers SET price = ?, people = ?, note = ?, state = 'pending', created_by = ?, updated_at = ? WHERE id = ?",
             {price_value, json(people).dump(), note, who.user_id, now, id});
    } else {
      id = c.insert("INSERT INTO work_offers (request_id, unit_id, price, people, note, state, created_by, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
                    {request_id, unit_id, price_value, json(people).dump(), note, who.user_id, now, now});
    }
    json after = offer_json(c, *c.row(std::string(kOfferSelect) + " WHERE o.id = ?", {id}));
    record(c, who, "market.offer_submit", "work_offer", std::to_string(id), before, after);
    notify(c, {.event = "market.offer", .title = "动火作业需求收到应征：" + r["title"].get<std::string>(),
               .body = r["number"].get<std::string>() + "，" + after["unitName"].get<std::string>() + " 拟派 " +
                       std::to_string(people.size()) + " 名持证人员",
               .link = "/market/" + std::to_string(request_id), .actor = who.user_id,
               .permission = "market:post", .users = {r["createdBy"].get<long long>()}});
    return request_detail(c, who, request_id);
  });
}

json run_work_offer_command(store::Db& db, const access::Caller& who, long long offer_id, const std::string& name) {
  if (name != "accept" && name != "withdraw") throw not_found();
  return db.write([&](store::Conn& c) {
    auto row = c.row(std::string(kOfferSelect) + " WHERE o.id = ?", {offer_id});
    if (!row) throw not_found();
    json before = offer_json(c, *row);
    long long request_id = before["requestId"];
    require_readable(c, who, request_id);
    json r = load_request(c, request_id);
    std::string now = now_iso();
    if (name == "withdraw") {
      if (!answers_for(c, who, before["unitId"])) throw forbidden();
      if (before["state"] != "pending")
        throw conflict("OFFER_STATE_INVALID", "应征当前为「" + before["stateLabel"].get<std::string>() + "」，不能撤回");
      c.exec("UPDATE work_offers SET state = 'withdrawn', updated_at = ? WHERE id = ?", {now, offer_id});
    } else {
      if (!is_venue_side(c, who, r["venueId"].get<long long>())) throw forbidden();
      refuse_unless_open(r);
      if (before["state"] != "pending")
        throw conflict("OFFER_STATE_INVALID", "应征当前为「" + before["stateLabel"].get<std::string>() + "」，不能选定");
      refuse_if_restricted(c, before["unitId"]);
      json others = c.rows("SELECT id, created_by FROM work_offers WHERE request_id = ? AND state = 'pending' AND id <> ?", {request_id, offer_id});
      c.exec("UPDATE work_offers SET state = 'accepted', updated_at = ? WHERE id = ?", {now, offer_id});
      c.exec("UPDATE work_offers SET state = 'declined', updated_at = ? WHERE request_id = ? AND state = 'pending'", {now, request_id});
      c.exec("UPDATE work_requests SET state = 'awarded', awarded_offer_id = ?, updated_at = ? WHERE id = ?", {offer_id, now, request_id});
      std::string link = "/market/" + std::to_string(request_id);
      notify(c, {.event = "market.result", .title = "动火作业需求已选定贵单位：" + r["title"].get<std::string>(),
                 .body = r["number"].get<std::string>() + "，" + r["venueName"].get<std::string>() + "。请按规定申请动火作业证后再作业。",
                 .link = link, .actor = who.user_id, .permission = "market:read", .users = {before["createdBy"].get<long long>()}});
      std::vector<long long> declined;
      for (const auto& o : others) declined.push_back(store::as_id(o["created_by"]));
      if (!declined.empty())
        notify(c, {.event = "market.result", .title = "动火作业需求未选定贵单位：" + r["title"].get<std::string>(),
                   .body = r["number"].get<std::string>() + "，" + r["venueName"].get<std::string>() + " 已选定其他单位。",
                   .link = link, .actor = who.user_id, .permission = "market:read", .users = declined});
    }
    json after = offer_json(c, *c.row(std::string(kOfferSelect) + " WHERE o.id = ?", {offer_id}));
    record(c, who, name == "accept" ? "market.offer_accept" : "market.offer_withdraw", "work_offer", std::to_string(offer_id), before, after);
    return request_detail(c, who, request_id);
  });
}

json list_providers(store::Db& db, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND EXISTS (SELECT 1 FROM people cp JOIN certificates cc ON cc.person_id = cp.id WHERE cp.unit_id = u.id AND " +
           valid_hot_work_cert("cc", clock::today()) + ")";
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(u.name LIKE ? OR u.address LIKE ?)", like, like);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c,
                       "SELECT u.id, u.name, u.contact_name AS \"contactName\", u.contact_phone AS \"contactPhone\", u.address, "
                       "(SELECT COUNT(*) FROM work_offers wo WHERE wo.unit_id = u.id AND wo.state = 'accepted') AS \"awarded\" FROM units u",
                       "FROM units u", f, "u.id", p);
    std::vector<long long> units;
    for (auto& item : out["items"]) {
      store::as_int(item, {"id", "awarded"});
      personal::open_field(db, item, "contactPhone");
      units.push_back(item["id"]);
    }
    auto standings = unit_standings(c, units);
    for (auto& item : out["items"]) item["standing"] = standings[item["id"].get<long long>()];
    return out;
  });
}

int run_market_reminders(store::Db& db) {
  std::string today = clock::today();
  return db.write([&](store::Conn& c) {
    int reminded = 0;
    for (const auto& r : c.rows("SELECT r.id, r.number, r.title, r.window_start, r.window_end, r.created_by, "
                                "(SELECT COUNT(*) FROM work_offers o WHERE o.request_id = r.id AND o.state = 'pending') AS answers "
                                "FROM work_requests r WHERE r.state = 'open' AND r.reminded_at IS NULL AND r.window_start <= ? "
                                "AND r.window_end >= ? ORDER BY r.id",
                                {clock::add_days(today, 2), today})) {
      long long id = store::as_id(r["id"]), answers = store::as_id(r["answers"]);
      std::string when = "作业期限 " + r["window_start"].get<std::string>() + " 至 " + r["window_end"].get<std::string>();
      notify(c, {.event = "market.remind",
                 .title = (answers ? "动火作业需求待选定承接单位：" : "动火作业需求尚无单位应征：") + r["title"].get<std::string>(),
                 .body = r["number"].get<std::string>() + "，" + when + "，" +
                         (answers ? "已有 " + std::to_string(answers) + " 家单位应征，请选定承接单位或撤销需求"
                                  : "可在“持证施工单位”中联系有资质的单位，或调整、撤销需求"),
                 .link = "/market/" + std::to_string(id), .permission = "market:post", .users = {store::as_id(r["created_by"])}});
      c.exec("UPDATE work_requests SET reminded_at = ? WHERE id = ?", {clock::now_iso(), id});
      ++reminded;
    }
    return reminded;
  });
}

}  // namespace huoyan::app
