#include "app/retrofits.h"

#include <map>

#include "app/audit.h"
#include "app/cases.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/registries.h"
#include "app/xlsx.h"
#include "domain/clock.h"
#include "domain/errors.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

// 元 per machine: a bound on typing errors, not a policy (subsidy standards differ by district).
constexpr double kMaxSubsidy = 10000;

const std::map<std::string, std::string>& state_labels() {
  static const std::map<std::string, std::string> m = {
      {"applied", "待审核"}, {"approved", "已批准待改造"}, {"rejected", "未通过"}, {"done", "已完成"}, {"cancelled", "已撤销"}};
  return m;
}
const std::map<std::string, std::string>& way_labels() {
  static const std::map<std::string, std::string> m = {{"retrofit", "加装芯片改造"}, {"trade_in", "以旧换新"}};
  return m;
}

const char* kSelect =
    "SELECT r.id, r.number, r.machine_id AS \"machineId\", m.code AS \"machineCode\", mk.label AS \"machineKindLabel\", "
    "m.model AS \"machineModel\", m.status AS \"machineStatus\", r.unit_id AS \"unitId\", u.name AS \"unitName\", r.way, r.reason, "
    "r.subsidy_requested AS \"subsidyRequested\", r.state, r.review_note AS \"reviewNote\", r.cancel_reason AS \"cancelReason\", r.subsidy_granted AS \"subsidyGranted\", "
    "rv.name AS \"reviewerName\", r.reviewed_at AS \"reviewedAt\", r.new_machine_id AS \"newMachineId\", nm.code AS \"newMachineCode\", "
    "r.chip_id AS \"chipId\", r.insurer, r.policy_number AS \"policyNumber\", r.insured_until AS \"insuredUntil\", "
    "r.done_at AS \"doneAt\", r.subsidy_paid AS \"subsidyPaid\", r.paid_on AS \"paidOn\", r.payment_ref AS \"paymentRef\", "
    "r.created_by AS \"createdBy\", cu.name AS \"applicantName\", r.created_at AS \"createdAt\", r.updated_at AS \"updatedAt\" "
    "FROM machine_retrofits r JOIN machines m ON m.id = r.machine_id JOIN units u ON u.id = r.unit_id "
    "LEFT JOIN machines nm ON nm.id = r.new_machine_id "
    "LEFT JOIN dict_items mk ON mk.type_code = 'machine_kind' AND mk.value = m.kind "
    "LEFT JOIN users rv ON rv.id = r.reviewed_by LEFT JOIN users cu ON cu.id = r.created_by";

json retrofit_json(json r) {
  store::as_int(r, {"id", "machineId", "unitId", "newMachineId", "createdBy"});
  store::as_number(r, {"subsidyRequested", "subsidyGranted", "subsidyPaid"});
  r["stateLabel"] = state_labels().at(r["state"]);
  r["wayLabel"] = way_labels().at(r["way"]);
  return r;
}

// The retrofit if its unit is in the caller's scope (unit_scope over `u`), else NOT_FOUND.
json load(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = unit_scope(who, p);
  auto row = c.row(std::string(kSelect) + " WHERE r.id = ? AND " + cond, p);
  if (!row) throw not_found();
  return retrofit_json(*row);
}

void refuse_unless(const json& r, std::initializer_list<const char*> states, const std::string& action) {
  for (const char* s : states)
    if (r["state"] == s) return;
  throw conflict("RETROFIT_STATE_INVALID", "该申请当前为「" + r["stateLabel"].get<std::string>() + "」，不能" + action);
}

// The applicant is told how the department decided, and when the subsidy is paid.
void tell_applicant(store::Conn& c, const access::Caller& who, const json& r, const std::string& title, const std::string& body) {
  notify(c, {.event = "retrofit.reviewed", .title = title + "：" + r["machineCode"].get<std::string>(),
             .body = r["number"].get<std::string>() + "，" + body, .link = "/retrofits/" + std::to_string(r["id"].get<long long>()),
             .actor = who.user_id, .permission = "retrofit:read", .users = {r["createdBy"].get<long long>()}});
}

// The 专班 is told what waits for it: an application to review, a subsidy to pay (then also `approver`, who granted it).
void tell_reviewers(store::Conn& c, const access::Caller& who, const json& r, const std::string& title, long long approver = 0) {
  notify(c, {.event = "retrofit.pending", .title = title + "：" + r["unitName"].get<std::string>(),
             .body = r["number"].get<std::string>() + "，焊机 " + r["machineCode"].get<std::string>() + "，" +
                     r["wayLabel"].get<std::string>(),
             .link = "/retrofits/" + std::to_string(r["id"].get<long long>()), .task_force = true, .actor = who.user_id,
             .permission = "retrofit:review", .users = approver ? std::vector<long long>{approver} : std::vector<long long>{}});
}

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The town's subsidy standard (元 per machine) for each way, kept in settings as {"retrofit": n, "tradeIn": n}; a way
// without one (null) is bounded by kMaxSubsidy only.
constexpr const char* kStandardKeys[][2] = {{"retrofit", "retrofit"}, {"trade_in", "tradeIn"}};  // way, JSON key
json load_standards(store::Conn& c) {
  json out = {{"retrofit", nullptr}, {"tradeIn", nullptr}};
  if (auto v = c.text("SELECT value FROM settings WHERE key = 'retrofit_subsidy'"))
    for (const auto& [way, key] : kStandardKeys)
      if (auto saved = json::parse(*v); saved.contains(key) && saved[key].is_number()) out[key] = saved[key];
  return out;
}
// Refuses `amount` (in `field`) above the standard for `way`, when there is one.
void check_standard(store::Conn& c, const std::string& way, double amount, const char* field) {
  json standards = load_standards(c);
  for (const auto& [w, key] : kStandardKeys)
    if (way == w && standards[key].is_number() && amount > standards[key].get<double>())
      throw bad_request("SUBSIDY_OVER_STANDARD",
                        "补贴不能高于本地" + way_labels().at(way) + "补贴标准（" + money(standards[key]) + " 元/台）", field);
}

void approve(store::Conn& c, const access::Caller& who, const json& r, Input& in) {
  double granted = in.number("subsidyGranted", "核定补贴（元）", 0, kMaxSubsidy);
  std::string note = in.opt_str("note", 500, "审核意见").value_or("");
  refuse_unless(r, {"applied"}, "批准");
  if (granted > r["subsidyRequested"].get<double>())
    throw bad_request("INVALID_VALUE", "核定补贴不能高于申请金额（" + money(r["subsidyRequested"]) + " 元）", "subsidyGranted");
  check_standard(c, r["way"], granted, "subsidyGranted");
  if (granted > 0 && credit_restricted(c, r["unitId"]))
    throw conflict("UNIT_CREDIT_RESTRICTED", "该单位正被实施信用惩戒，不能享受改造补贴；可批准改造并将补贴核定为 0", "subsidyGranted");
  std::string now = now_iso();
  c.exec("UPDATE machine_retrofits SET state = 'approved', subsidy_granted = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?, "
         "updated_at = ? WHERE id = ?",
         {granted, note, who.user_id, now, now, r["id"].get<long long>()});
  tell_applicant(c, who, r, "焊机改造申请已批准", "核定补贴 " + money(granted) + " 元。完成改造后请在平台报告芯片编号。");
}

void reject(store::Conn& c, const access::Caller& who, const json& r, Input& in) {
  std::string note = in.str("note", 500, "不予批准的理由");
  refuse_unless(r, {"applied"}, "退回");
  std::string now = now_iso();
  c.exec("UPDATE machine_retrofits SET state = 'rejected', review_note = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?",
         {note, who.user_id, now, now, r["id"].get<long long>()});
  tell_applicant(c, who, r, "焊机改造申请未通过", note);
}

void cancel(store::Conn& c, const access::Caller&, const json& r, Input& in) {
  std::string reason = in.opt_str("reason", 500, "撤销原因").value_or("");
  refuse_unless(r, {"applied", "approved"}, "撤销");
  c.exec("UPDATE machine_retrofits SET state = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ?",
         {reason, now_iso(), r["id"].get<long long>()});
}

struct Insurance {
  std::string insurer, policy_number;
  std::optional<std::string> until;
};

// 保险兜底: all three fields or none.
Insurance read_insurance(Input& in) {
  Insurance f;
  if (!in.has("insurer") && !in.has("policyNumber") && !in.has("insuredUntil")) return f;
  f.insurer = in.str("insurer", 60, "承保机构");
  f.policy_number = in.str("policyNumber", 60, "保单号");
  f.until = in.date("insuredUntil", "保险期限至");
  if (*f.until < clock::today()) throw bad_request("INVALID_VALUE", "保险已到期，请填写有效的保单", "insuredUntil");
  return f;
}

void complete(store::Conn& c, const access::Caller& who, const json& r, Input& in) {
  std::string chip = in.str("chipId", 64, "芯片编号");
  Insurance ins = read_insurance(in);
  bool trade_in = r["way"] == "trade_in";
  refuse_unless(r, {"approved"}, "报告完成");
  std::optional<long long> new_machine;
  long long old_machine = r["machineId"];
  if (trade_in) {
    json body = {{"code", in.str("code", 32, "新焊机编码")}, {"kind", in.str("kind", 40, "新焊机类型")}, {"chipId", chip},
                 {"unitId", r["unitId"]}, {"model", in.opt_str("model", 60, "型号").value_or("")}};
    new_machine = register_machine(c, who, body)["id"].get<long long>();
    set_machine_chip_status(c, who, old_machine, std::nullopt, "retired");
  } else {
    for (const char* f : {"code", "kind", "model"})
      if (in.has(f)) throw bad_request("INVALID_VALUE", "加装芯片改造沿用原焊机，不登记新焊机", f);
    std::string status = c.text("SELECT status FROM machines WHERE id = ?", {old_machine}).value_or("");
    if (status == "retired") throw conflict("MACHINE_RETIRED", "该焊机已报废，请撤销本申请或改为以旧换新");
    set_machine_chip_status(c, who, old_machine, chip, status);
  }
  std::string now = now_iso();
  c.exec("UPDATE machine_retrofits SET state = 'done', chip_id = ?, new_machine_id = ?, insurer = ?, policy_number = ?, "
         "insured_until = ?, done_by = ?, done_at = ?, updated_at = ? WHERE id = ?",
         {chip, new_machine ? store::Value(*new_machine) : store::Value(nullptr), ins.insurer, ins.policy_number,
          ins.until ? store::Value(*ins.until) : store::Value(nullptr), who.user_id, now, now, r["id"].get<long long>()});
  if (r["subsidyGranted"].is_number() && r["subsidyGranted"].get<double>() > 0)
    tell_reviewers(c, who, r, "焊机改造已完成，待拨付补贴", c.scalar("SELECT reviewed_by FROM machine_retrofits WHERE id = ?", {r["id"].get<long long>()}));
}

void pay(store::Conn& c, const access::Caller& who, const json& r, Input& in) {
  double amount = in.number("amount", "拨付金额（元）", 0.01, kMaxSubsidy);
  std::string paid_on = in.date("paidOn", "拨付日期");
  std::string ref = in.str("paymentRef", 60, "拨付凭证号");
  refuse_unless(r, {"done"}, "拨付补贴");
  double granted = r["subsidyGranted"].is_number() ? r["subsidyGranted"].get<double>() : 0;
  if (granted <= 0) throw conflict("SUBSIDY_NOT_GRANTED", "该申请未核定补贴，无需拨付");
  if (!r["paidOn"].is_null()) throw conflict("SUBSIDY_ALREADY_PAID", "补贴已于 " + r["paidOn"].get<std::string>() + " 拨付");
  if (amount > granted) throw bad_request("INVALID_VALUE", "拨付金额不能高于核定补贴（" + money(granted) + " 元）", "amount");
  if (paid_on > clock::today()) throw bad_request("INVALID_VALUE", "拨付日期不能晚于今天", "paidOn");
  if (paid_on < clock::local_date(*clock::parse_iso(r["doneAt"].get<std::string>())))
    throw bad_request("INVALID_VALUE", "拨付日期不能早于改造完成日期", "paidOn");
  c.exec("UPDATE machine_retrofits SET subsidy_paid = ?, paid_on = ?, payment_ref = ?, paid_by = ?, updated_at = ? WHERE id = ?",
         {amount, paid_on, ref, who.user_id, now_iso(), r["id"].get<long long>()});
  tell_applicant(c, who, r, "焊机改造补贴已拨付", money(amount) + " 元，凭证号 " + ref + "。");
}

constexpr const char* kFrom = "FROM machine_retrofits r JOIN machines m ON m.id = r.machine_id JOIN units u ON u.id = r.unit_id";

// The list's filters, within the caller's scope.
Filter retrofit_filter(const access::Caller& who, const QueryMap& q) {
  Filter f;
  f.sql += " AND " + unit_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (!state_labels().count(*v)) throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("r.state = ?", *v);
  }
  if (auto v = query_str(q, "way")) {
    if (!way_labels().count(*v)) throw bad_request("INVALID_VALUE", "改造方式无效", "way");
    f.add("r.way = ?", *v);
  }
  if (auto v = query_int(q, "unitId")) f.add("r.unit_id = ?", *v);
  if (auto v = query_int(q, "machineId")) f.add("(r.machine_id = ? OR r.new_machine_id = ?)", *v, *v);
  if (query_bool(q, "unpaid").value_or(false)) f.sql += " AND r.state = 'done' AND r.subsidy_granted > 0 AND r.paid_on IS NULL";
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(r.number LIKE ? OR m.code LIKE ? OR u.name LIKE ? OR r.chip_id = ?)", like, like, like, *v);
  }
  return f;
}
}  // namespace

json list_retrofits(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f = retrofit_filter(who, q);
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kSelect, kFrom, f, "r.id DESC", p);
    for (auto& item : out["items"]) item = retrofit_json(item);
    return out;
  });
}

std::string export_retrofits_xlsx(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Filter f = retrofit_filter(who, q);
  json rows = db.read([&](store::Conn& c) {
    json r = c.rows(std::string(kSelect) + f.sql + " ORDER BY r.id DESC" + limit_sql(100000), f.params);
    for (auto& item : r) item = retrofit_json(item);
    return r;
  });
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  auto amount = [](const json& v) { return v.is_number() ? XlsxCell(v.get<double>()) : XlsxCell(std::string()); };
  auto local_day = [&](const json& v) { return v.is_string() ? clock::local_date(*clock::parse_iso(v.get<std::string>())) : std::string(); };
  return xlsx_sheet("焊机改造台账",
                    {{"申请编号", 14}, {"产权单位", 28}, {"焊机编码", 14}, {"焊机类型", 16}, {"型号", 10}, {"改造方式", 12}, {"状态", 12},
                     {"申请日期", 12}, {"申请补贴（元）", 14}, {"核定补贴（元）", 14}, {"审核人", 10}, {"完成日期", 12}, {"芯片编号", 20},
                     {"新焊机编码", 14}, {"承保机构", 28}, {"保单号", 20}, {"保险期限至", 12}, {"拨付金额（元）", 14}, {"拨付日期", 12},
                     {"拨付凭证号", 18}},
                    [&](XlsxRows& out) {
    for (const auto& r : rows)
      out.add({text(r["number"]), text(r["unitName"]), text(r["machineCode"]), text(r["machineKindLabel"]), text(r["machineModel"]),
               text(r["wayLabel"]), text(r["stateLabel"]), local_day(r["createdAt"]), amount(r["subsidyRequested"]),
               amount(r["subsidyGranted"]), text(r["reviewerName"]), local_day(r["doneAt"]), text(r["chipId"]), text(r["newMachineCode"]),
               text(r["insurer"]), text(r["policyNumber"]), text(r["insuredUntil"]), amount(r["subsidyPaid"]), text(r["paidOn"]),
               text(r["paymentRef"])});
  });
}

json get_retrofit(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) { return load(c, who, id); });
}

json apply_retrofit(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  long long machine_id = in.integer("machineId", "焊机");
  std::string way = in.one_of("way", "改造方式", {"retrofit", "trade_in"});
  double subsidy = in.opt_number("subsidyRequested", "申请补贴（元）", 0, kMaxSubsidy).value_or(0);
  std::string reason = in.opt_str("reason", 500, "说明").value_or("");
  return db.write([&](store::Conn& c) {
    store::Params p{machine_id};
    std::string cond = machine_scope(who, p);
    auto m = c.row("SELECT m.unit_id, m.chip_id, m.status FROM machines m WHERE m.id = ? AND " + cond, p);
    if (!m) throw bad_request("MACHINE_NOT_FOUND", "焊机不存在或不是本单位的焊机", "machineId");
    if ((*m)["status"] == "retired") throw conflict("MACHINE_RETIRED", "该焊机已报废，不能申请改造", "machineId");
    if (!(*m)["chip_id"].is_null()) throw conflict("MACHINE_ALREADY_CHIPPED", "该焊机已加芯赋码，无需改造", "machineId");
    if (auto open = c.text("SELECT number FROM machine_retrofits WHERE machine_id = ? AND state IN ('applied', 'approved')", {machine_id}))
      throw conflict("RETROFIT_IN_PROGRESS", "该焊机已有办理中的改造申请：" + *open, "machineId");
    check_standard(c, way, subsidy, "subsidyRequested");
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO machine_retrofits (number, machine_id, unit_id, way, reason, subsidy_requested, state, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'applied', ?, ?, ?)",
        {next_yearly_number(c, "machine_retrofit", "GZ"), machine_id, store::as_id((*m)["unit_id"]), way, reason, subsidy,
         who.user_id, now, now});
    json after = load(c, who, id);
    record(c, who, "retrofit.apply", "machine_retrofit", std::to_string(id), nullptr, after);
    tell_reviewers(c, who, after, "焊机改造申请待审核");
    return after;
  });
}

json run_retrofit_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body) {
  // Each command checks its body and the state, then writes; the caller's transaction records before and after.
  using Command = void (*)(store::Conn&, const access::Caller&, const json&, Input&);
  static const std::map<std::string, Command> commands = {
      {"approve", approve},
      {"reject", reject},
      {"cancel", cancel},
      {"complete", complete},
      {"pay", pay},
  };
  auto command = commands.find(name);
  if (command == commands.end()) throw not_found();
  return db.write([&](store::Conn& c) {
    json before = load(c, who, id);
    Input in(body);
    command->second(c, who, before, in);
    json after = load(c, who, id);
    record(c, who, "retrofit." + name, "machine_retrofit", std::to_string(id), before, after);
    return after;
  });
}

json get_subsidy_standards(store::Db& db) {
  return db.read([](store::Conn& c) { return load_standards(c); });
}

json put_subsidy_standards(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  json after = json::object();
  for (const auto& [way, key] : kStandardKeys) {
    auto v = in.opt_number(key, (way_labels().at(way) + "补贴标准（元/台）").c_str(), 0, kMaxSubsidy);
    after[key] = v ? json(*v) : json(nullptr);
  }
  return db.write([&](store::Conn& c) {
    json before = load_standards(c);
    c.exec("DELETE FROM settings WHERE key = 'retrofit_subsidy'");
    c.exec("INSERT INTO settings (key, value) VALUES ('retrofit_subsidy', ?)", {after.dump()});
    record(c, who, "retrofit.standards_update", "settings", "retrofit_subsidy", before, after);
    return after;
  });
}

json retrofit_summary(store::Db& db, const access::Caller& who) {
  return db.read([&](store::Conn& c) {
    store::Params mp;
    std::string machines = machine_scope(who, mp);
    auto m = *c.row("SELECT COUNT(*) AS active, COUNT(m.chip_id) AS chipped FROM machines m WHERE m.status <> 'retired' AND " + machines, mp);
    store::as_int(m, {"active", "chipped"});
    long long active = m["active"], chipped = m["chipped"];

    store::Params rp;
    std::string units = unit_scope(who, rp);
    json states = json::object();
    for (const auto& [key, label] : state_labels()) states[key] = 0;
    json subsidy = {{"requested", 0.0}, {"granted", 0.0}, {"paid", 0.0}};
    json done = {{"retrofit", 0}, {"trade_in", 0}, {"insured", 0}};
    for (auto row : c.rows("SELECT r.state, r.way, COUNT(*) AS n, SUM(CASE WHEN r.policy_number <> '' THEN 1 ELSE 0 END) AS insured, "
                           "SUM(r.subsidy_requested) AS requested, SUM(r.subsidy_granted) AS granted, SUM(r.subsidy_paid) AS paid "
                           "FROM machine_retrofits r JOIN units u ON u.id = r.unit_id WHERE " + units + " GROUP BY r.state, r.way",
                           rp)) {
      store::as_int(row, {"n", "insured"});
      store::as_number(row, {"requested", "granted", "paid"});
      std::string state = row["state"];
      states[state] = states[state].get<long long>() + row["n"].get<long long>();
      if (state == "rejected" || state == "cancelled") continue;  // their subsidies are not owed
      for (const char* k : {"requested", "granted", "paid"})
        if (row[k].is_number()) subsidy[k] = subsidy[k].get<double>() + row[k].get<double>();
      if (state == "done") {
        done[row["way"].get<std::string>()] = done[row["way"].get<std::string>()].get<long long>() + row["n"].get<long long>();
        done["insured"] = done["insured"].get<long long>() + row["insured"].get<long long>();
      }
    }
    // The units with the most machines still to chip: whom the town should go and see first. Found from the machines
    // without a chip (through the chip index, which holds the NULLs: few once a town is chipped), then counted.
    store::Params up;
    std::string unchipped_scope = machine_scope(who, up);
    json first = c.rows("SELECT m.unit_id, COUNT(*) AS n FROM machines m WHERE m.chip_id IS NULL AND m.unit_id IS NOT NULL AND m.status <> 'retired' AND " +
                            unchipped_scope + " GROUP BY m.unit_id ORDER BY COUNT(*) DESC, m.unit_id LIMIT 20",
                        up);
    json by_unit = json::array();
    if (!first.empty()) {
      std::vector<long long> units;
      for (const auto& u : first) units.push_back(store::as_id(u["unit_id"]));
      store::Params cp;
      std::string ids = store::in_list(units, cp);
      std::string counted_scope = machine_scope(who, cp);
      std::map<long long, json> counted;
      for (auto u : c.rows("SELECT u.id, u.name, COUNT(*) AS active, COUNT(m.chip_id) AS chipped, "
                           "(SELECT COUNT(*) FROM machine_retrofits r WHERE r.unit_id = u.id AND r.state IN ('applied', 'approved')) AS \"inProgress\" "
                           "FROM machines m JOIN units u ON u.id = m.unit_id WHERE m.unit_id IN " + ids + " AND m.status <> 'retired' AND " +
                               counted_scope + " GROUP BY u.id, u.name",
                           cp)) {
        store::as_int(u, {"id", "active", "chipped", "inProgress"});
        u["unchipped"] = u["active"].get<long long>() - u["chipped"].get<long long>();
        long long id = u["id"];
        counted.emplace(id, std::move(u));
      }
      for (const auto& u : first)
        if (auto it = counted.find(store::as_id(u["unit_id"])); it != counted.end()) by_unit.push_back(std::move(it->second));
    }
    return json{{"machines", {{"active", active}, {"chipped", chipped}, {"unchipped", active - chipped}}},
                {"states", states},
                {"done", done},
                {"subsidy", subsidy},
                {"units", by_unit}};
  });
}

int run_retrofit_reminders(store::Db& db) {
  std::string month = clock::today().substr(0, 7) + "-01";
  return db.write([&](store::Conn& c) {
    if (c.exec("INSERT INTO job_days (name, day) VALUES ('retrofit_reminder', ?) ON CONFLICT DO NOTHING", {month}) == 0) return 0;
    int reminded = 0;
    for (const auto& u : c.rows("SELECT m.unit_id, COUNT(*) AS n FROM machines m WHERE m.chip_id IS NULL AND m.unit_id IS NOT NULL "
                                "AND m.status <> 'retired' AND NOT EXISTS (SELECT 1 FROM machine_retrofits r WHERE r.machine_id = m.id "
                                "AND r.state IN ('applied', 'approved')) GROUP BY m.unit_id ORDER BY m.unit_id")) {
      std::vector<long long> people;
      for (const auto& p : c.rows("SELECT DISTINCT user_id FROM people WHERE unit_id = ? AND user_id IS NOT NULL", {store::as_id(u["unit_id"])}))
        people.push_back(store::as_id(p["user_id"]));
      if (people.empty()) continue;
      notify(c, {.event = "retrofit.remind",
                 .title = "焊机加芯赋码提醒：本单位有 " + std::to_string(store::as_id(u["n"])) + " 台在用焊机未加装芯片",
                 .body = "可申请加装芯片改造或以旧换新，并申请政府补贴；改造完成后报告芯片编号和焊机保险。",
                 .link = "/machines?chipped=false", .permission = "retrofit:apply", .users = people});
      ++reminded;
    }
    return reminded;
  });
}

}  // namespace huoyan::app
