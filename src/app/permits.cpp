#include "app/permits.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "app/alerts.h"
#include "app/audit.h"
#include "app/files.h"
#include "app/auth.h"
#include "app/input.h"
#include "app/json_out.h"
#include "app/notify.h"
#include "app/print.h"
#include "app/personal_data.h"
#include "app/qr.h"
#include "app/registries.h"
#include "app/rules.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/permit_rules.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

using permit::Command;
using permit::State;
using namespace std::chrono;

namespace {

using clock::now_iso;
constexpr int kRoundBeforeMinutes = 5;     // how early a fire-watch round may be recorded
// "计划开始前 15 分钟", or "计划开始时" for a lead of 0 (the rule settings' check-in and start leads).
std::string before_start(int minutes) { return minutes ? "计划开始前 " + std::to_string(minutes) + " 分钟" : "计划开始时"; }
clock::TimePoint at(const json& iso) { return *clock::parse_iso(iso.get<std::string>()); }
long long num(const json& v) { return v.is_number() ? v.get<long long>() : v.is_string() ? std::stoll(v.get<std::string>()) : 0; }

ApiError rule_error(const permit::Violation& v) { return bad_request(v.code, v.message, v.field); }
ApiError not_your_step(const std::string& who_may) {
  return ApiError(403, "NOT_YOUR_STEP", "这一步应由" + who_may + "操作");
}

// ---- scope and loading ----

std::string permit_scope(const Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"SELECT v.org_unit_id FROM venues v WHERE v.id = p.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = p.venue_id"},
      {"EXISTS (SELECT 1 FROM permit_participants pp WHERE pp.permit_id = p.id AND pp.user_id = ?)"}, p);
}

// The permit and, joined, what its summary shows (x_ columns; write_permit() reads them instead of asking more
// queries per permit). The WHERE of a Filter may follow. Only LEFT JOINs: SQLite then keeps permits as the
// outer loop and walks its index in the list's order instead of starting from venues. A list row's own
// columns are only those write_permit(..., false) reads: no long texts a page would read and drop.
#define PERMIT_SUMMARY_OWN_COLUMNS                                                                                  \
  "p.id, p.number, p.public_token, p.venue_id, p.applicant_user_id, p.approver_user_id, p.place, p.indoor, "       \
  "p.content, p.method, p.level_declared, p.level, "                                                                \
  "p.level_reasons, p.planned_start, p.planned_end, p.job_leader_id, p.fire_watch_id, p.fire_watch_checked_in_at, "  \
  "p.state, p.state_reason, p.started_at, p.finished_at, p.closed_at, p.created_at, p.updated_at"
#define PERMIT_JOINED_COLUMNS                                                                                       \
  ", v.name AS x_venue_name, v.type AS x_venue_type, jl.name AS x_leader_name, jl.user_id AS x_leader_user, fw.name AS x_watch_name, "  \
  "fw.user_id AS x_watch_user, p.worker_count AS x_workers"
#define PERMIT_JOINS                                                                                                     \
  " LEFT JOIN venues v ON v.id = p.venue_id "                                                                         \
  "LEFT JOIN people jl ON jl.id = p.job_leader_id LEFT JOIN people fw ON fw.id = p.fire_watch_id"
const char* kPermitSummarySelect = "SELECT " PERMIT_SUMMARY_OWN_COLUMNS PERMIT_JOINED_COLUMNS " FROM permits p" PERMIT_JOINS;
// The same from one department's filing (po: permit_org_units), whose WHERE names the department and joins
// p.id = po.permit_id. CROSS JOIN keeps po as SQLite's outer loop, so its index gives the list's order.
const char* kPermitSummaryByDepartment = "SELECT " PERMIT_SUMMARY_OWN_COLUMNS PERMIT_JOINED_COLUMNS
    " FROM permit_org_units po CROSS JOIN permits p" PERMIT_JOINS;
// One permit: all its columns, the summary's joined ones and the names of its unit, approver and applicant.
const char* kPermitSelect = "SELECT p.*" PERMIT_JOINED_COLUMNS
    ", un.name AS x_unit_name, ap.name AS x_approver_name, ac.name AS x_applicant_name FROM permits p" PERMIT_JOINS
    " LEFT JOIN units un ON un.id = p.unit_id LEFT JOIN users ap ON ap.id = p.approver_user_id"
    " LEFT JOIN users ac ON ac.id = p.applicant_user_id";
#undef PERMIT_SUMMARY_OWN_COLUMNS
#undef PERMIT_JOINED_COLUMNS
#undef PERMIT_JOINS

void permit_types(json& rows_or_row) {
  store::as_int(rows_or_row, {"id", "venue_id", "unit_id", "job_leader_id", "fire_watch_id", "approver_user_id",
                              "applicant_user_id", "version", "wind_force", "x_leader_user", "x_watch_user", "x_workers"});
  store::as_bool(rows_or_row, {"indoor", "fire_separation", "gas_required", "site_clear"});
}

// The permit (snake_case columns and kPermitSelect's x_ columns), if it is in the caller's scope.
json raw_permit(store::Conn& c, const Caller& who, long long id) {
  store::Params p{id};
  std::string cond = permit_scope(who, p);
  auto row = c.row(std::string(kPermitSelect) + " WHERE p.id = ? AND " + cond, p);
  if (!row) throw not_found();
  permit_types(*row);
  return *row;
}

State state_of(const json& raw) { return *permit::parse_state(raw["state"].get<std::string>()); }

long long person_user(store::Conn& c, long long person_id) {
  return c.scalar("SELECT COALESCE(user_id, 0) FROM people WHERE id = ?", {person_id});
}

// ---- who may run which command ----

struct Roles {
  bool applicant = false, approver = false, job_leader = false, fire_watch = false;
};
// From the users of the permit's applicant, approver, job leader and fire watch (0: none).
Roles roles_of(const Caller& who, long long applicant, long long approver, long long job_leader, long long fire_watch) {
  return {.applicant = applicant == who.user_id, .approver = approver == who.user_id,
          .job_leader = job_leader == who.user_id, .fire_watch = fire_watch == who.user_id};
}
Roles roles_of(const Caller& who, const json& raw) {
  return roles_of(who, num(raw["applicant_user_id"]), num(raw["approver_user_id"]), num(raw["x_leader_user"]),
                  num(raw["x_watch_user"]));
}

// Whether `who` is the person for `cmd` on this permit (the state aside).
bool is_their_step(const Caller& who, const Roles& r, Command cmd, State s) {
  switch (cmd) {
    case Command::Submit: return r.applicant && who.has("permit:apply");
    case Command::Survey:
    case Command::Approve:
    case Command::Reject: return r.approver && who.has("permit:approve");
    case Command::ConfirmRisk:
    case Command::Start:
    case Command::Finish: return r.job_leader && who.has("permit:apply");
    case Command::Suspend:
    case Command::Resume: return r.fire_watch || r.job_leader || r.approver;
    case Command::Close: return r.fire_watch && who.has("permit:watch");
    case Command::Cancel: return (r.applicant && who.has("permit:apply")) || (s == State::Approved && r.approver);
    case Command::Revoke: return who.has("permit:revoke");
    case Command::Expire: return false;
  }
  return false;
}

// 待我办理: the states in which a permit waits for each of its roles, with what it waits for, in the order a
// caller holding two roles sees the label. The todo filter and each permit's todoStep both read it; the
// commands themselves are checked by is_their_step.
struct TodoStep {
  const char* role;  // permit_participants.role
  bool Roles::*holds;
  const char* holder;  // SQL: the account holding the role now (what Roles is made from)
  State state;
  const char* permission;  // the role's step needs it ("" for none)
  const char* label;
  bool check_in = false;   // the fire watch's check-in: done once they have checked in
};
constexpr const char* kApplicantNow = "p.applicant_user_id";
constexpr const char* kApproverNow = "p.approver_user_id";
constexpr const char* kJobLeaderNow = "(SELECT user_id FROM people WHERE id = p.job_leader_id)";
constexpr const char* kFireWatchNow = "(SELECT user_id FROM people WHERE id = p.fire_watch_id)";
constexpr TodoStep kTodoSteps[] = {
    {"applicant", &Roles::applicant, kApplicantNow, State::Draft, "permit:apply", "待提交"},
    {"approver", &Roles::approver, kApproverNow, State::Submitted, "permit:approve", "待现场勘察"},
    {"job_leader", &Roles::job_leader, kJobLeaderNow, State::Surveyed, "permit:apply", "待确认风险"},
    {"approver", &Roles::approver, kApproverNow, State::RiskConfirmed, "permit:approve", "待审批"},
    {"job_leader", &Roles::job_leader, kJobLeaderNow, State::Approved, "permit:apply", "待签到开工"},
    {"fire_watch", &Roles::fire_watch, kFireWatchNow, State::Approved, "", "待到场签到", true},
    {"job_leader", &Roles::job_leader, kJobLeaderNow, State::InProgress, "permit:apply", "待结束作业"},
    {"job_leader", &Roles::job_leader, kJobLeaderNow, State::Suspended, "permit:apply", "待恢复作业"},
    {"fire_watch", &Roles::fire_watch, kFireWatchNow, State::Suspended, "", "待恢复作业"},
    {"fire_watch", &Roles::fire_watch, kFireWatchNow, State::Watching, "", "待监护巡查"},
};

// What the permit waits for the caller to do, if anything.
std::optional<std::string_view> todo_step(const Caller& who, const Roles& r, State s, bool fire_watch_checked_in) {
  for (const auto& t : kTodoSteps)
    if (t.state == s && r.*t.holds && (!*t.permission || who.has(t.permission)) && !(t.check_in && fire_watch_checked_in))
      return t.label;
  return std::nullopt;
}

std::string who_may(Command cmd) {
  switch (cmd) {
    case Command::Submit: return "申请人";
    case Command::Survey:
    case Command::Approve:
    case Command::Reject: return "场所审批人";
    case Command::ConfirmRisk:
    case Command::Start:
    case Command::Finish: return "动火作业负责人";
    case Command::Suspend:
    case Command::Resume: return "监护人、作业负责人或审批人";
    case Command::Close: return "监护人";
    case Command::Cancel: return "申请人";
    case Command::Revoke: return "监管人员";
    case Command::Expire: return "系统";
  }
  return "";
}

// ---- input ----

struct Worker {
  long long person_id, certificate_id;
};
struct Draft {
  long long venue_id = 0, job_leader_id = 0, fire_watch_id = 0, approver_user_id = 0;
  std::string place, indoor_reason, content, method, level, planned_start, planned_end, risk_identification,
      risk_assessment;
  bool indoor = false, fire_separation = false, gas_required = false;
  std::optional<long long> unit_id, wind_force, work_request_id;
  std::vector<Worker> workers;
  std::vector<long long> machines;
  json controls = json::array(), photos_before = json::array();
};

std::string read_time(Input& in, const char* field, const char* label) {
  std::string v = in.str(field, 40, label);
  auto t = clock::parse_iso(v);
  if (!t || v.size() < 16) throw bad_request("INVALID_VALUE", std::string(label) + "须为日期时间，例如 2026-11-24T09:00:00+08:00", field);
  return clock::iso_utc(*t);
}

Draft read_draft(const json& body) {
  Input in(body);
  Draft d;
  d.venue_id = in.integer("venueId", "动火场所");
  d.place = in.str("place", 100, "动火部位");
  d.indoor = in.boolean("indoor", "是否室内");
  d.indoor_reason = in.opt_str("indoorReason", 200, "室内动火理由").value_or("");
  if (d.indoor && d.indoor_reason.empty())
    throw bad_request("INDOOR_REASON_REQUIRED", "人员密集场所动火原则上在室外实施，室内动火须说明理由", "indoorReason");
  d.content = in.str("content", 500, "作业内容");
  d.method = in.str("method", 40, "动火方式");
  d.level = in.str("level", 20, "动火级别");
  if (!permit::parse_level(d.level)) throw bad_request("INVALID_VALUE", "动火级别须为特级、一级或二级", "level");
  d.planned_start = read_time(in, "plannedStart", "计划开始时间");
  d.planned_end = read_time(in, "plannedEnd", "计划结束时间");
  // The level's own limit is checked at submission (check_window); no level may ever allow more than this.
  if (*clock::parse_iso(d.planned_end) - *clock::parse_iso(d.planned_start) > hours(permit::kLongestWindowHours))
    throw bad_request("PERMIT_WINDOW_TOO_LONG", "动火作业证计划时间最长 " + std::to_string(permit::kLongestWindowHours) + " 小时，请缩短",
                      "plannedEnd");
  d.unit_id = in.opt_integer("unitId", "施工单位");
  d.work_request_id = in.opt_integer("workRequestId", "供需对接需求");
  d.job_leader_id = in.integer("jobLeaderId", "动火作业负责人");
  d.fire_watch_id = in.integer("fireWatchId", "监护人");
  d.approver_user_id = in.integer("approverUserId", "审批人");
  if (body.contains("workers") && body["workers"].is_array()) {
    if (body["workers"].size() > 20) throw bad_request("INVALID_VALUE", "作业人员最多 20 人", "workers");
    std::set<long long> seen;
    for (const auto& w : body["workers"]) {
      for (const auto& [k, v] : w.items())
        if (k != "personId" && k != "certificateId") throw bad_request("UNKNOWN_FIELD", "作业人员不支持的字段：" + k.substr(0, 20), "workers");
      if (!w.contains("personId") || !w["personId"].is_number_integer() || !w.contains("certificateId") ||
          !w["certificateId"].is_number_integer())
        throw bad_request("INVALID_VALUE", "每名作业人员须填写人员和所持证书", "workers");
      long long person = w["personId"];
      if (!seen.insert(person).second) throw bad_request("INVALID_VALUE", "作业人员重复", "workers");
      d.workers.push_back({person, w["certificateId"].get<long long>()});
    }
  }
  d.machines = in.int_list("machineIds", 20, "焊机");
  d.risk_identification = in.str("riskIdentification", 2000, "风险辨识");
  d.risk_assessment = in.opt_str("riskAssessment", 4000, "风险评估").value_or("");
  if (body.contains("controls") && body["controls"].is_array()) {
    if (body["controls"].size() > 30) throw bad_request("INVALID_VALUE", "管控措施过多", "controls");
    for (const auto& ctl : body["controls"]) {
      for (const auto& [k, v] : ctl.items())
        if (k != "control" && k != "person") throw bad_request("UNKNOWN_FIELD", "管控措施不支持的字段：" + k.substr(0, 20), "controls");
      Input ci(ctl);
      std::string control = ci.str("control", 200, "管控措施");
      std::string person = ci.opt_str("person", 30, "责任人").value_or("");
      d.controls.push_back({{"control", control}, {"person", person}});
    }
  }
  d.fire_separation = in.boolean("fireSeparation", "是否防火分隔");
  d.wind_force = in.opt_integer("windForce", "风力等级", 0, 17);
  d.gas_required = in.boolean("gasRequired", "是否需要气体分析");
  d.photos_before = read_file_ids(body, "photosBefore");
  return d;
}

// A user the permit involves, in one role (permit_participants).
struct Participant {
  long long user_id;
  std::string_view role;
  auto operator<=>(const Participant&) const = default;
};

// References must exist; the full rules run at submission. The lookups are independent: on PostgreSQL they go
// in one round trip (prefetch), not one each. They also read the accounts behind the references, so the answer is
// the users the draft involves, each in its role (the applicant being `applicant`).
std::set<Participant> check_draft_refs(store::Conn& c, const Draft& d, long long applicant) {
  struct Ref {
    const char* sql;
    store::Params key;
    const char* code;
    const char* message;
    const char* field;
    std::string_view role;  // when set, the row's user_id (if any) takes part in this role
  };
  std::vector<Ref> refs;
  auto ref = [&](const char* sql, store::Value key, const char* code, const char* message, const char* field,
                 std::string_view role = {}) { refs.push_back({sql, {std::move(key)}, code, message, field, role}); };
  constexpr const char* kPerson = "SELECT id, user_id FROM people WHERE id = ?";
  ref("SELECT id, manager_user_id AS user_id FROM venues WHERE id = ?", d.venue_id, "VENUE_NOT_FOUND", "动火场所不存在",
      "venueId", "venue_manager");
  ref("SELECT id FROM dict_items WHERE type_code = 'hotwork_method' AND value = ? AND enabled = 1", d.method,
      "INVALID_VALUE", "动火方式不在字典中", "method");
  if (d.unit_id) ref("SELECT id FROM units WHERE id = ?", *d.unit_id, "UNIT_NOT_FOUND", "施工单位不存在", "unitId");
  ref(kPerson, d.job_leader_id, "PERSON_NOT_FOUND", "动火作业负责人不存在", "jobLeaderId", "job_leader");
  ref(kPerson, d.fire_watch_id, "PERSON_NOT_FOUND", "监护人不存在", "fireWatchId", "fire_watch");
  ref("SELECT id, id AS user_id FROM users WHERE id = ? AND status = 'active'", d.approver_user_id, "USER_NOT_FOUND",
      "审批人不存在或已停用", "approverUserId", "approver");
  for (const auto& w : d.workers) {
    ref(kPerson, w.person_id, "PERSON_NOT_FOUND", "作业人员不存在", "workers", "worker");
    ref("SELECT id FROM certificates WHERE id = ?", w.certificate_id, "CERT_NOT_FOUND", "作业人员所持证书不存在", "workers");
  }
  for (long long m : d.machines) ref("SELECT id FROM machines WHERE id = ?", m, "MACHINE_NOT_FOUND", "焊机不存在", "machineIds");
  // Work awarded on the supply platform (动火作业供需对接): to this permit's unit, at this permit's venue.
  if (d.work_request_id)
    refs.push_back({"SELECT r.id FROM work_requests r JOIN work_offers o ON o.id = r.awarded_offer_id "
                    "WHERE r.id = ? AND r.state IN ('awarded', 'done') AND r.venue_id = ? AND o.unit_id = ?",
                    {*d.work_request_id, d.venue_id, d.unit_id ? store::Value(*d.unit_id) : store::Value(nullptr)},
                    "WORK_REQUEST_MISMATCH", "该动火作业需求不存在，或未选定本施工单位承接，或与动火场所不符", "workRequestId", {}});
  for (size_t i = 1; i < refs.size(); ++i) c.prefetch(refs[i].sql, refs[i].key);  // sent with the first
  std::set<Participant> involved{{applicant, "applicant"}};
  for (const auto& r : refs) {
    auto row = c.row(r.sql, r.key);
    if (!row) throw bad_request(r.code, r.message, r.field);
    if (!r.role.empty() && !(*row)["user_id"].is_null()) involved.insert({num((*row)["user_id"]), r.role});
  }
  check_files_exist(c, d.photos_before, "photosBefore");
  return involved;
}

// The permit's participants, for a permit that has none recorded yet: one statement.
void save_participants(store::Conn& c, long long id, const std::set<Participant>& involved) {
  std::string sql = "INSERT INTO permit_participants (permit_id, user_id, role) VALUES ";
  store::Params params;
  for (const auto& p : involved) {
    sql += params.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
    params.insert(params.end(), {id, p.user_id, std::string(p.role)});
  }
  c.defer(sql, params);
}

// The permit columns a draft sets, in the order of draft_values().
constexpr std::string_view kDraftColumns[] = {
    "venue_id", "place", "indoor", "indoor_reason", "content", "method", "level_declared", "level", "planned_start",
    "planned_end", "unit_id", "job_leader_id", "fire_watch_id", "approver_user_id", "risk_identification",
    "risk_assessment", "controls", "fire_separation", "wind_force", "gas_required", "photos_before", "worker_count",
    "work_request_id", "updated_at"};

store::Params draft_values(const Draft& d) {
  return {d.venue_id, d.place, static_cast<long long>(d.indoor), d.indoor_reason, d.content, d.method, d.level, d.level,
          d.planned_start, d.planned_end, d.unit_id ? store::Value(*d.unit_id) : store::Value(nullptr), d.job_leader_id,
          d.fire_watch_id, d.approver_user_id, d.risk_identification, d.risk_assessment, d.controls.dump(),
          static_cast<long long>(d.fire_separation), d.wind_force ? store::Value(*d.wind_force) : store::Value(nullptr),
          static_cast<long long>(d.gas_required), d.photos_before.dump(), static_cast<long long>(d.workers.size()),
          d.work_request_id ? store::Value(*d.work_request_id) : store::Value(nullptr), now_iso()};
}

// Today's permit numbers: the counter's key ("2026-12-05") and the numbers' prefix ("DH-20261205-").
struct NumberDay {
  std::string day, prefix;
};
NumberDay number_day() {
  std::string day = clock::local_date(clock::now());
  return {day, "DH-" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-"};
}

// SQLite: the day's next number, from its counter, passing over a number a permit already holds (one the counter
// did not give, e.g. an imported permit) rather than refusing every later create of the day. PostgreSQL follows
// the same rule in next_permit_number() (migration 0022).
std::string next_number(store::Conn& c, const NumberDay& today) {
  for (;;) {
    // Not RETURNING: SQLite makes a temporary table for each such statement, a point read costs less.
    c.exec("INSERT INTO permit_counters (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = permit_counters.last + 1",
           {today.day});
    char number[48];
    std::snprintf(number, sizeof number, "%s%04lld", today.prefix.c_str(), c.scalar("SELECT last FROM permit_counters WHERE day = ?", {today.day}));
    if (!c.row("SELECT id FROM permits WHERE number = ?", {std::string(number)})) return number;
  }
}

// PostgreSQL: a new permit's id, drawn before its row is written so that the row can wait for the COMMIT's round
// trip (create_permit prefetches it with the draft's checks).
constexpr std::string_view kNextPermitId = "SELECT nextval('permits_id_seq')";

// A new draft's permit row. SQLite has one writer: the number is drawn first and the row written with it.
// PostgreSQL: every create of the day waits on the day's counter row while another holds it, so the row is
// written last, at commit, drawing its number from next_permit_number() in the INSERT itself; it goes with the
// audit row and the COMMIT in one round trip, after the draft's other rows (whose references to it are checked
// at commit, migration 0023). The counter is then locked only while the server runs those few statements, and the
// row is written once (an UPDATE of its number would write it and all its index entries again).
long long insert_draft(store::Conn& c, const Caller& who, const Draft& d) {
  auto sql = [](bool pg) {
    std::string columns, marks;
    for (std::string_view column : kDraftColumns) {
      columns += ", " + std::string(column);
      marks += ", ?";
    }
    return std::string("INSERT INTO permits (") + (pg ? "id, " : "") +
           "number, public_token, applicant_user_id, state, created_at" + columns + ") VALUES (" +
           (pg ? "?, next_permit_number(?, ?)" : "?") + ", ?, ?, 'draft', ?" + marks + ")";
  };
  static const std::string sqlite_sql = sql(false), pg_sql = sql(true);
  bool pg = c.dialect() == store::Dialect::Postgres;
  NumberDay today = number_day();
  long long id = pg ? c.scalar(kNextPermitId) : 0;
  store::Params params = pg ? store::Params{id, today.day, today.prefix} : store::Params{next_number(c, today)};
  for (auto v : store::Params{time_ordered_token(12), who.user_id, now_iso()}) params.push_back(std::move(v));
  for (auto& v : draft_values(d)) params.push_back(std::move(v));
  if (!pg) {
    id = c.insert(sqlite_sql, params);
    file_new_permit(c, id, d.venue_id, "draft", d.planned_start);
    return id;
  }
  c.before_commit([params = std::move(params), id, venue = d.venue_id, start = d.planned_start](store::Conn& c) {
    c.defer(pg_sql, params);
    file_new_permit(c, id, venue, "draft", start);
  });
  return id;
}

// The draft's people and machines (each with the permit's planned end, migration 0024), and its participants.
void save_draft_parts(store::Conn& c, long long id, const Draft& d, const std::set<Participant>& involved) {
  for (const auto& w : d.workers)
    c.defer("INSERT INTO permit_workers (permit_id, person_id, certificate_id, planned_end) VALUES (?, ?, ?, ?)",
            {id, w.person_id, w.certificate_id, d.planned_end});
  for (long long m : std::set<long long>(d.machines.begin(), d.machines.end()))
    c.defer("INSERT INTO permit_machines (permit_id, machine_id, planned_end) VALUES (?, ?, ?)", {id, m, d.planned_end});
  save_participants(c, id, involved);
}

void update_draft(store::Conn& c, long long id, const Draft& d, const std::set<Participant>& involved) {
  static const std::string sql = [] {
    std::string sets;
    for (std::string_view column : kDraftColumns) sets += std::string(column) + " = ?, ";
    return "UPDATE permits SET " + sets + "version = version + 1 WHERE id = ?";
  }();
  store::Params params = draft_values(d);
  params.push_back(id);
  c.exec(sql, params);
  c.defer("UPDATE permit_org_units SET planned_start = ? WHERE permit_id = ?", {d.planned_start, id});
  c.defer("DELETE FROM permit_workers WHERE permit_id = ?", {id});
  c.defer("DELETE FROM permit_machines WHERE permit_id = ?", {id});
  c.defer("DELETE FROM permit_participants WHERE permit_id = ?", {id});
  save_draft_parts(c, id, d, involved);
}

// ---- rules ----

enum class Stage { Submit, Approve, Start };

std::string holding_states(bool fire_watch) {
  std::string list;
  for (State s : permit::all_states())
    if (fire_watch ? permit::holds_fire_watch(s) : permit::holds_workers(s))
      list += (list.empty() ? "'" : ", '") + std::string(permit::state_key(s)) + "'";
  return "(" + list + ")";
}

void check_rules(store::Conn& c, json& raw, Stage stage) {
  long long id = raw["id"];
  permit::Settings settings = load_settings(c);
  auto now = clock::now();
  permit::Window w{at(raw["planned_start"]), at(raw["planned_end"])};
  if (w.end <= w.start) throw bad_request("PERMIT_WINDOW_INVALID", "计划结束时间须晚于开始时间", "plannedEnd");
  if (stage == Stage::Submit && w.start < now - minutes(10))
    throw bad_request("PERMIT_START_IN_PAST", "计划开始时间已过，请重新填写", "plannedStart");
  if (stage == Stage::Start) w.start = std::max(w.start, now);

  // Level after raises, and the window's length for that level.
  auto declared = *permit::parse_level(raw["level_declared"].get<std::string>());
  std::optional<int> wind = raw["wind_force"].is_number() ? std::optional<int>(raw["wind_force"].get<int>()) : std::nullopt;
  auto decision = permit::effective_level(declared, {at(raw["planned_start"]), at(raw["planned_end"])}, !raw["indoor"].get<bool>(),
                                          wind, load_calendar(c), load_key_periods(c), settings);
  if (auto v = permit::check_window({at(raw["planned_start"]), at(raw["planned_end"])}, decision.level, settings))
    throw rule_error(*v);
  raw["level"] = std::string(permit::level_key(decision.level));
  raw["level_reasons"] = json(decision.reasons).dump();
  c.exec("UPDATE permits SET level = ?, level_reasons = ? WHERE id = ?", {store::value_of(raw["level"]), store::value_of(raw["level_reasons"]), id});

  // Opening hours of the venue.
  auto venue = *c.row("SELECT type, crowded, entertainment, opening_hours, closed_dates FROM venues WHERE id = ?", {store::value_of(raw["venue_id"])});
  permit::VenueFacts facts;
  facts.type = venue["type"];
  facts.crowded = num(venue["crowded"]) != 0;
  facts.entertainment = num(venue["entertainment"]) != 0;
  facts.hours = venue_hours(venue["opening_hours"], venue["closed_dates"]);
  json controls = json::parse(raw["controls"].get<std::string>());
  bool assigned = !controls.empty() &&
                  std::all_of(controls.begin(), controls.end(), [](const json& x) { return !x["person"].get<std::string>().empty(); });
  permit::OpenHoursMitigation m{!raw["risk_assessment"].get<std::string>().empty(), assigned, raw["fire_separation"].get<bool>()};
  if (auto v = permit::check_open_hours(facts, w, m)) throw rule_error(*v);

  // People and their certificates.
  json workers = c.rows(
      "SELECT pw.person_id, pe.citizen_id, pe.name, ce.kind, ce.number, ce.status, ce.valid_until, ce.next_review, "
      "hp.citizen_id AS holder FROM permit_workers pw "
      "JOIN people pe ON pe.id = pw.person_id JOIN certificates ce ON ce.id = pw.certificate_id "
      "JOIN people hp ON hp.id = ce.person_id WHERE pw.permit_id = ?",
      {id});
  if (workers.empty()) throw bad_request("WORKERS_REQUIRED", "请至少填写一名持证作业人员", "workers");
  for (const auto& wk : workers) {
    if (auto v = permit::check_certificate(certificate_facts(c.db(), wk), personal::open(c.db(), wk["citizen_id"].get<std::string>()), w)) {
      permit::Violation named = *v;
      named.message = wk["name"].get<std::string>() + "：" + named.message;
      throw rule_error(named);
    }
    if (num(wk["person_id"]) == raw["fire_watch_id"])
      throw bad_request("FIRE_WATCH_IS_WORKER", "监护人不能同时是作业人员，须专人全程监护", "fireWatchId");
  }
  json machines = c.rows("SELECT m.id, m.code, m.status FROM permit_machines pm JOIN machines m ON m.id = pm.machine_id "
                         "WHERE pm.permit_id = ?", {id});
  for (const auto& mc : machines)
    if (mc["status"] != "active")
      throw bad_request("MACHINE_NOT_ACTIVE", "焊机 " + mc["code"].get<std::string>() + " 不在可用状态", "machineIds");

  // One permit, one job: nobody and no machine on two overlapping permits. Two permits of one crew checked at
  // once must not both pass: on PostgreSQL (read committed) the second waits here for the first to commit and
  // then sees its permit; SQLite runs one writer at a time. Locks in one order (people, then machines, by id).
  // FOR NO KEY UPDATE, not FOR UPDATE: checks exclude each other, but not a create whose references to the same
  // people hold key-share locks (FOR UPDATE would wait for it, and it may wait for this check's commit).
  if (c.dialect() == store::Dialect::Postgres) {
    // One IN list, not "IN (...) OR id = ?", which PostgreSQL answers by filtering every person.
    c.rows("SELECT id FROM people WHERE id IN (SELECT person_id FROM permit_workers WHERE permit_id = ? "
           "UNION ALL SELECT fire_watch_id FROM permits WHERE id = ?) ORDER BY id FOR NO KEY UPDATE",
           {id, id});
    c.rows("SELECT id FROM machines WHERE id IN (SELECT machine_id FROM permit_machines WHERE permit_id = ?) ORDER BY id FOR NO KEY UPDATE", {id});
  }
  std::string start = raw["planned_start"], end = raw["planned_end"];
  // `sql` finds other permits as p2, with `params` for its own placeholders; a worker's or a machine's rows are
  // bounded by the copy of their permit's end (migration 0024), so only current and future permits are read.
  auto clash = [&](const std::string& sql, store::Params params, bool fire_watch) {
    params.insert(params.end(), {id, end, start});
    return c.row(sql + " AND p2.id <> ? AND p2.state IN " + holding_states(fire_watch) +
                     " AND p2.planned_start < ? AND p2.planned_end > ?",
                 params);
  };
  auto one_job = [](const std::string& what, const json& other) {
    return what + "在同一时段已有动火作业证 " + other["number"].get<std::string>() + "（一次作业一张证）";
  };
  for (const auto& wk : workers)
    if (auto other = clash("SELECT p2.number FROM permit_workers w2 JOIN permits p2 ON p2.id = w2.permit_id "
                           "WHERE w2.person_id = ? AND w2.planned_end > ?",
                           {num(wk["person_id"]), start}, false))
      throw conflict("WORKER_DOUBLE_BOOKED", one_job("作业人员" + wk["name"].get<std::string>(), *other), "workers");
  for (const auto& mc : machines)
    if (auto other = clash("SELECT p2.number FROM permit_machines m2 JOIN permits p2 ON p2.id = m2.permit_id "
                           "WHERE m2.machine_id = ? AND m2.planned_end > ?",
                           {num(mc["id"]), start}, false))
      throw conflict("MACHINE_DOUBLE_BOOKED", one_job("所选焊机", *other), "machineIds");
  if (auto other = clash("SELECT p2.number FROM permits p2 WHERE p2.fire_watch_id = (SELECT fire_watch_id FROM permits WHERE id = ?)",
                         {id}, true))
    throw conflict("FIRE_WATCH_DOUBLE_BOOKED", one_job("监护人", *other), "fireWatchId");

  // The people who act on it.
  if (raw["approver_user_id"] == raw["applicant_user_id"])
    throw bad_request("APPROVER_IS_APPLICANT", "审批人不能是申请人本人", "approverUserId");
  auto approver = load_caller(c, raw["approver_user_id"]);
  if (!approver || !approver->has("permit:approve"))
    throw bad_request("APPROVER_NOT_ALLOWED", "所选审批人没有动火审批权限", "approverUserId");
  auto accounts = *c.row("SELECT (SELECT user_id FROM people WHERE id = ?) AS leader, (SELECT user_id FROM people WHERE id = ?) AS watch",
                         {num(raw["job_leader_id"]), num(raw["fire_watch_id"])});
  if (accounts["leader"].is_null())
    throw bad_request("JOB_LEADER_NO_ACCOUNT", "动火作业负责人须有平台账号，以便现场确认风险", "jobLeaderId");
  if (accounts["watch"].is_null())
    throw bad_request("FIRE_WATCH_NO_ACCOUNT", "监护人须有平台账号，以便现场签到和巡查", "fireWatchId");

  if (stage == Stage::Approve) {
    long long open = c.scalar("SELECT CASE WHEN EXISTS (SELECT 1 FROM permit_measures WHERE permit_id = ?) THEN 0 "
                              "ELSE (SELECT COUNT(*) FROM measure_templates WHERE enabled = 1) END", {id});
    if (open > 0) throw bad_request("MEASURES_UNCONFIRMED", "还有 " + std::to_string(open) + " 项安全措施未确认", "measures");
  }
  if (stage == Stage::Start) {
    int lead = load_settings(c).start_before_minutes;
    if (now < at(raw["planned_start"]) - minutes(lead))
      throw bad_request("PERMIT_NOT_YET", "未到开工时间（" + before_start(lead) + "起可开工）", "plannedStart");
    if (raw["fire_watch_checked_in_at"].is_null())
      throw bad_request("FIRE_WATCH_NOT_CHECKED_IN", "监护人尚未到岗签到", "fireWatchId");
    for (const auto& pw : c.rows("SELECT pe.name FROM permit_workers pw JOIN people pe ON pe.id = pw.person_id "
                                 "WHERE pw.permit_id = ? AND pw.checked_in_at IS NULL", {id}))
      throw bad_request("WORKER_NOT_CHECKED_IN", "作业人员" + pw["name"].get<std::string>() + "尚未签到", "workers");
    if (raw["gas_required"].get<bool>()) {
      std::vector<permit::GasSample> samples;
      for (const auto& g : c.rows("SELECT sampled_at, gas, lel_percent, result_percent FROM permit_gas_analyses WHERE permit_id = ?", {id}))
        samples.push_back({at(g["sampled_at"]), g["gas"], g["lel_percent"].get<double>(), g["result_percent"].get<double>()});
      if (auto v = permit::check_gas(samples, now, settings)) throw rule_error(*v);
    }
  }
}

// ---- timeline and transitions ----

void add_event(store::Conn& c, long long id, const std::string& command, const std::string& from, const std::string& to,
               const Caller& who, const json& detail) {
  c.defer("INSERT INTO permit_events (permit_id, at, command, from_state, to_state, user_id, username, name, ip, detail) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {id, now_iso(), command, from, to, who.user_id ? store::Value(who.user_id) : store::Value(nullptr),
           who.username, who.name, who.ip, detail.dump()});
}

// "金凤商业广场 三楼东侧设备间，计划 2026-12-08 06:00–09:00。": how a notice about the permit begins.
std::string where_and_when(const json& raw) {
  auto start = at(raw["planned_start"]), end = at(raw["planned_end"]);
  return raw["x_venue_name"].get<std::string>() + " " + raw["place"].get<std::string>() + "，计划 " + clock::local_date(start) +
         " " + clock::local_hhmm(start) + "–" + clock::local_hhmm(end) + "。";
}

// Tells the people of a permit what its new state asks of them (whose step it now is) or that their work ended
// there: the 监护人 that the job started, the applicant that it was approved or sent back. The actor is not told.
// Runs in the change's transaction, so nobody is told of a change that rolled back.
void tell_permit_people(store::Conn& c, const Caller& who, const json& raw, Command cmd, State from, State to,
                        const json& detail) {
  if (from == State::Draft && to != State::Submitted) return;  // a draft concerned nobody else yet
  long long id = raw["id"];
  // The accounts the permit names (permit_participants, which its data scope also reads), by role.
  long long applicant = 0, approver = 0, leader = 0, watch = 0;
  std::vector<long long> worker_users;
  for (const auto& r : c.rows("SELECT user_id, role FROM permit_participants WHERE permit_id = ?", {id})) {
    long long u = num(r["user_id"]);
    std::string role = r["role"];
    if (role == "applicant") applicant = u;
    else if (role == "approver") approver = u;
    else if (role == "job_leader") leader = u;
    else if (role == "fire_watch") watch = u;
    else if (role == "worker") worker_users.push_back(u);
  }
  std::string reason = detail.value("reason", "");
  Notice n{.event = "permit.step", .link = "/permits/" + std::to_string(id), .actor = who.user_id, .permission = "permit:read"};
  bool workers = false;
  std::string what, body;
  switch (to) {
    case State::Submitted:
      n.users = {approver}, what = "待现场勘察";
      body = "申请人" + raw["x_applicant_name"].get<std::string>() + "已提交，请到现场勘察后记录勘察情况。";
      break;
    case State::Surveyed:
      n.users = {leader}, what = "待确认风险";
      body = "审批人已现场勘察，请作为作业负责人逐项确认安全措施。";
      break;
    case State::RiskConfirmed:
      n.users = {approver}, what = "待审批";
      body = "作业负责人已逐项确认安全措施，请审批。";
      break;
    case State::Approved:
      n.users = {applicant, leader, watch}, workers = true, what = "已批准";
      body = before_start(load_settings(c).check_in_before_minutes) +
             "起可到场签到；监护人和作业人员全部签到、需要时气体分析合格后，由作业负责人开工。";
      break;
    case State::Draft:
      n.users = {applicant, leader}, what = "被退回";
      body = "退回原因：" + reason + "。请修改后重新提交。";
      break;
    case State::InProgress:
      if (cmd == Command::Start) {
        n.users = {watch}, what = "已开工";
        body = "请全程在场监护，离开现场须先暂停作业。";
      } else {
        n.users = {leader, watch, approver}, workers = true, what = "已恢复作业";
        body = "暂停的动火作业已恢复，请继续落实安全措施。";
      }
      break;
    case State::Suspended:
      n.users = {leader, watch, approver}, workers = true, what = "已暂停";
      body = "暂停原因：" + reason + "。恢复前不得动火。";
      break;
    case State::Watching: {
      n.users = {watch}, what = "作业结束，请开始作业后监护";
      body = "巡查时间：";
      std::string_view sep;
      for (const auto& r : c.rows("SELECT seq, due_at FROM permit_rounds WHERE permit_id = ? ORDER BY seq", {id})) {
        body += std::string(sep) + "第 " + std::to_string(num(r["seq"])) + " 次 " + clock::local_hhmm(at(r["due_at"]));
        sep = "、";
      }
      body += "。监护满 " + std::to_string(load_settings(c).watch_minutes) + " 分钟、巡查全部完成后，确认人走场清再关闭。";
      break;
    }
    case State::Closed:
      n.users = {applicant, approver, leader}, what = "已关闭";
      body = "监护人已确认人走场清、无残留火种。";
      break;
    case State::Cancelled:
      n.users = {approver, leader, watch}, workers = true, what = "已取消";
      body = "取消原因：" + reason + "。";
      break;
    case State::Revoked:
      n.users = {applicant, approver, leader, watch}, workers = true, what = "已被撤销";
      body = "撤销原因：" + reason + "。现场须立即停止动火。";
      break;
    case State::Expired:
      n.users = {applicant, approver, leader, watch}, what = "已过期";
      body = reason + "，动火作业证已失效，如需作业请重新申请。";
      break;
  }
  if (workers) n.users.insert(n.users.end(), worker_users.begin(), worker_users.end());
  std::erase(n.users, 0LL);
  if (n.users.empty()) return;
  n.title = "动火作业证" + what + "：" + raw["number"].get<std::string>();
  n.body = where_and_when(raw) + body;
  notify(c, n);
}

// Moves the permit from its current state by `cmd`, guarding against a
// concurrent change (the state and version must still be what was read), and tells
// the people it concerns (tell_permit_people).
void transition(store::Conn& c, const Caller& who, json& raw, Command cmd, const json& detail,
                const std::string& extra_set = "", const store::Params& extra_params = {}, bool tell = true) {
  State from = state_of(raw);
  auto to = permit::next_state(from, cmd);
  if (!to)
    throw conflict("PERMIT_STATE_INVALID", "动火作业证当前为「" + std::string(permit::state_label(from)) + "」，不能" +
                                               std::string(permit::command_label(cmd)));
  store::Params params{std::string(permit::state_key(*to)), now_iso()};
  params.insert(params.end(), extra_params.begin(), extra_params.end());
  params.push_back(store::value_of(raw["id"]));
  params.push_back(std::string(permit::state_key(from)));
  params.push_back(store::value_of(raw["version"]));
  long long changed = c.exec("UPDATE permits SET state = ?, updated_at = ?, version = version + 1" + extra_set +
                                 " WHERE id = ? AND state = ? AND version = ?",
                             params);
  if (changed != 1) throw conflict("PERMIT_STATE_CHANGED", "该动火作业证刚被他人处理，请刷新后重试");
  c.defer("UPDATE permit_org_units SET state = ? WHERE permit_id = ?", {std::string(permit::state_key(*to)), store::value_of(raw["id"])});
  add_event(c, raw["id"], std::string(permit::command_key(cmd)), std::string(permit::state_key(from)),
            std::string(permit::state_key(*to)), who, detail);
  record(c, who, "permit." + std::string(permit::command_key(cmd)), "permit", std::to_string(raw["id"].get<long long>()),
         json{{"state", permit::state_key(from)}}, json{{"state", permit::state_key(*to)}, {"detail", detail}});
  raw["state"] = std::string(permit::state_key(*to));
  raw["version"] = raw["version"].get<long long>() + 1;
  if (tell) tell_permit_people(c, who, raw, cmd, from, *to, detail);
}

// ---- presentation ----

// A timeline event's label: its command's, or the recording step's.
std::string_view event_label(std::string_view command) {
  for (Command k : permit::all_commands())
    if (permit::command_key(k) == command) return permit::command_label(k);
  static const std::map<std::string_view, std::string_view> steps = {
      {"create", "创建草稿"}, {"update", "修改草稿"}, {"check-in", "现场签到"}, {"gas-analyses", "气体分析"}, {"rounds", "监护巡查"}};
  auto step = steps.find(command);
  return step == steps.end() ? command : step->second;
}

// The parts of a permit's detail, each by the permit's id (write_permit_details; full_permit sends them ahead).
const char* const kWorkersSql =
    "SELECT pw.person_id, pe.name, pe.user_id, pw.certificate_id, ce.number, k.label AS kind_label, ce.valid_until, "
    "pw.checked_in_at FROM permit_workers pw JOIN people pe ON pe.id = pw.person_id JOIN certificates ce ON ce.id = pw.certificate_id "
    "LEFT JOIN dict_items k ON k.type_code = 'certificate_type' AND k.value = ce.kind WHERE pw.permit_id = ? ORDER BY pe.id";
const char* const kMachinesSql =
    "SELECT m.id, m.code, k.label AS kind_label FROM permit_machines pm JOIN machines m ON m.id = pm.machine_id "
    "LEFT JOIN dict_items k ON k.type_code = 'machine_kind' AND k.value = m.kind WHERE pm.permit_id = ? ORDER BY m.id";
const char* const kGasSql =
    "SELECT id, sampled_at, gas, lel_percent, result_percent, analyst FROM permit_gas_analyses WHERE permit_id = ? "
    "ORDER BY sampled_at";
// A permit's measures as its job leader confirmed them (none before that: the detail then shows the checklist in
// force, unanswered, from load_measure_templates).
const char* const kMeasuresSql =
    "SELECT code, label, applies, confirmed_by, confirmed_at FROM permit_measures WHERE permit_id = ? ORDER BY sort, code";
// The checklist in force: the enabled measure templates, {code, label, sort}, in order.
json enabled_measures(store::Conn& c) {
  json items = c.rows("SELECT code, label, sort FROM measure_templates WHERE enabled = 1 ORDER BY sort, code");
  store::as_int(items, {"sort"});
  return items;
}
// The same checklist, as the process's copy (Topic::Rules: replace_measure_templates drops it). Most details read
// it: on PostgreSQL the templates' half of one query was a third of a detail's execution time.
struct MeasureTemplate {
  std::string code, label;
};
std::shared_ptr<const std::vector<MeasureTemplate>> load_measure_templates(store::Conn& c) {
  return c.db().cached<std::vector<MeasureTemplate>>(store::Topic::Rules, "measure_templates", [&] {
    std::vector<MeasureTemplate> items;
    for (const auto& m : enabled_measures(c)) items.push_back({m["code"].get<std::string>(), m["label"].get<std::string>()});
    return items;
  });
}
// The safety measures a permit settles by itself, each with the reason: code → why it cannot be 不涉及. Every
// hot work has extinguishers and a fire watch on site; what the application declared (fire separation, a gas
// test) and the method (an electric welder's grounding, gas cylinders) settle the others. The detail shows
// each measure's reason (`required`), and the forms start these at 涉及.
std::map<std::string, std::string> required_measures(bool fire_separation, bool gas_required, std::string_view method) {
  std::map<std::string, std::string> r{{"extinguishers", "动火作业必须配备消防器材"}, {"fire_watch_ready", "动火作业必须有监护人全程监护"}};
  if (fire_separation) r["fire_separation"] = "申请中已申报防火分隔";
  if (gas_required) r["gas_tested"] = "申请中已申报需要气体分析";
  if (method == "electric_welding") r["welder_grounding"] = "电焊作业";
  if (method == "gas_welding" || method == "gas_cutting") r["cylinders"] = "气焊、气割作业使用气瓶";
  return r;
}

// A time a command waits for: "05:40" today, "12-08 05:40" another day.
std::string opens_at(clock::TimePoint t) {
  std::string day = clock::local_date(t);
  return (day == clock::today() ? "" : day.substr(5) + " ") + clock::local_hhmm(t);
}
std::string round_not_yet(long long seq, clock::TimePoint due) {
  return "第 " + std::to_string(seq) + " 次巡查 " + opens_at(due - minutes(kRoundBeforeMinutes)) + " 起可记录（应在 " +
         clock::local_hhmm(due) + " 进行）";
}

const char* const kRoundsSql =
    "SELECT seq, due_at, done_at, result, note, photos FROM permit_rounds WHERE permit_id = ? ORDER BY seq";
const char* const kTimelineSql =
    "SELECT at, command, from_state, to_state, name, username, ip, detail FROM permit_events WHERE permit_id = ? ORDER BY id";
const char* const kPermitDetailParts[] = {kWorkersSql, kMachinesSql, kGasSql, kMeasuresSql, kRoundsSql, kTimelineSql};

// The detail's part of write_permit().
void write_permit_details(JsonOut& out, store::Conn& c, const Caller& who, const Roles& r, const store::RowView& raw,
                          long long id, State s) {
  out.key("indoorReason").text_of(raw, "indoor_reason");
  auto named = [&](const char* key, const char* id_col, const char* name_col) {
    out.key(key);
    if (raw.null(name_col)) return void(out.null());
    out.begin_object().key("id").integer_of(raw, id_col).key("name").text_of(raw, name_col).end_object();
  };
  named("unit", "unit_id", "x_unit_name");
  named("approver", "approver_user_id", "x_approver_name");
  named("applicant", "applicant_user_id", "x_applicant_name");
  bool pii = who.has("person:pii"), is_worker = false;
  int workers_away = 0;  // not checked in
  out.key("workers").begin_array();
  c.each_view(kWorkersSql, {id}, [&](const store::RowView& w) {
    is_worker = is_worker || (!w.null("user_id") && w.integer("user_id") == who.user_id);
    workers_away += w.null("checked_in_at");
    out.begin_object().key("personId").integer(w.integer("person_id")).key("name").text_of(w, "name");
    out.key("userId").integer_of(w, "user_id").key("certificateId").integer(w.integer("certificate_id"));
    std::string number = personal::open(c.db(), w.text("number"));
    out.key("certificateNumber").text(pii ? number : validate::mask_certificate_number(number));
    out.key("certificateKindLabel").text_of(w, "kind_label").key("certificateValidUntil").text_of(w, "valid_until");
    out.key("checkedInAt").text_of(w, "checked_in_at").end_object();
  });
  out.end_array();
  out.key("machines").begin_array();
  c.each_view(kMachinesSql, {id}, [&](const store::RowView& m) {
    out.begin_object().key("id").integer(m.integer("id")).key("code").text_of(m, "code");
    out.key("kindLabel").text_of(m, "kind_label").end_object();
  });
  out.end_array();
  out.key("workRequestId").integer_of(raw, "work_request_id");
  out.key("riskIdentification").text_of(raw, "risk_identification");
  out.key("riskAssessment").text_of(raw, "risk_assessment");
  out.key("controls").raw_of(raw, "controls");
  out.key("fireSeparation").boolean_of(raw, "fire_separation");
  out.key("windForce").integer_of(raw, "wind_force");
  out.key("gasRequired").boolean_of(raw, "gas_required");
  out.key("gasAnalyses").begin_array();
  std::vector<permit::GasSample> gas_samples;  // for notYet: what start's gas rule will say
  c.each_view(kGasSql, {id}, [&](const store::RowView& g) {
    double lel = g.real("lel_percent"), result = g.real("result_percent");
    gas_samples.push_back({*clock::parse_iso(g.text("sampled_at")), std::string(g.text("gas")), lel, result});
    out.begin_object().key("id").integer(g.integer("id")).key("sampledAt").text_of(g, "sampled_at");
    out.key("gas").text_of(g, "gas").key("lelPercent").number(lel).key("resultPercent").number(result);
    out.key("analyst").text_of(g, "analyst").key("passed").boolean(result <= permit::gas_threshold(lel)).end_object();
  });
  out.end_array();
  out.key("measures").begin_array();
  auto required = required_measures(raw.integer("fire_separation") != 0, raw.integer("gas_required") != 0, raw.text("method"));
  auto required_of = [&](std::string_view code) {
    auto why = required.find(std::string(code));
    why == required.end() ? out.key("required").null() : out.key("required").text(why->second);
  };
  bool answered = false;
  c.each_view(kMeasuresSql, {id}, [&](const store::RowView& m) {
    answered = true;
    out.begin_object().key("code").text_of(m, "code").key("label").text_of(m, "label");
    out.key("applies").boolean_of(m, "applies").key("confirmedBy").text_of(m, "confirmed_by");
    out.key("confirmedAt").text_of(m, "confirmed_at");
    required_of(m.text("code"));
    out.end_object();
  });
  if (!answered)
    for (const auto& t : *load_measure_templates(c)) {
      out.begin_object().key("code").text(t.code).key("label").text(t.label).key("applies").null();
      out.key("confirmedBy").null().key("confirmedAt").null();
      required_of(t.code);
      out.end_object();
    }
  out.end_array();
  out.key("survey").raw_of(raw, "survey");
  out.key("riskConfirmation").raw_of(raw, "risk_confirmation");
  permit::Settings settings = load_settings(c);
  out.key("rounds").begin_array();
  std::optional<std::pair<long long, clock::TimePoint>> next_round;  // the first not done: seq, due
  int rounds_open = 0;
  c.each_view(kRoundsSql, {id}, [&](const store::RowView& r) {
    if (r.null("done_at") && !rounds_open++) next_round = {r.integer("seq"), *clock::parse_iso(r.text("due_at"))};
    auto late_after = *clock::parse_iso(r.text("due_at")) + minutes(settings.round_grace_minutes);
    bool late = r.null("done_at") ? clock::now() > late_after : *clock::parse_iso(r.text("done_at")) > late_after;
    out.begin_object().key("seq").integer(r.integer("seq")).key("dueAt").text_of(r, "due_at");
    out.key("doneAt").text_of(r, "done_at").key("result").text_of(r, "result").key("note").text_of(r, "note");
    out.key("photos").raw_of(r, "photos").key("late").boolean(late).end_object();
  });
  out.end_array();
  out.key("siteClear").boolean_of(raw, "site_clear");
  out.key("photosBefore").raw_of(raw, "photos_before");
  out.key("photosAfter").raw_of(raw, "photos_after");
  out.key("timeline").begin_array();
  c.each_view(kTimelineSql, {id}, [&](const store::RowView& e) {
    std::string_view command = e.text("command");
    out.begin_object().key("at").text_of(e, "at").key("command").text(command).key("commandLabel").text(event_label(command));
    out.key("fromState").text_of(e, "from_state").key("toState").text_of(e, "to_state").key("name").text_of(e, "name");
    out.key("username").text_of(e, "username").key("ip").text_of(e, "ip").key("detail").raw_of(e, "detail").end_object();
  });
  out.end_array();

  json allowed = json::array();
  for (Command k : permit::all_commands())
    if (permit::next_state(s, k) && is_their_step(who, r, k, s)) allowed.push_back(permit::command_key(k));
  if (s == State::Draft && r.applicant) allowed.push_back("update");
  bool on_site = s == State::Approved || s == State::InProgress || s == State::Suspended;
  if (on_site && (r.fire_watch || r.job_leader || is_worker)) allowed.push_back("check-in");
  if (on_site && (r.job_leader || r.fire_watch || r.approver)) allowed.push_back("gas-analyses");
  if (s == State::Watching && r.fire_watch && next_round) allowed.push_back("rounds");
  out.key("allowedCommands").value(allowed);
  out.key("signatureSteps").value(json(settings.signature_steps));  // the steps the rules require a signature for

  // Of those, the ones whose time or prerequisites have not come, with why: the forms show them disabled.
  auto now = clock::now();
  auto start = *clock::parse_iso(raw.text("planned_start"));
  auto offered = [&](std::string_view k) { return std::find(allowed.begin(), allowed.end(), k) != allowed.end(); };
  const int check_in_lead = settings.check_in_before_minutes, start_lead = settings.start_before_minutes;
  out.key("notYet").begin_object();
  if (offered("check-in") && s == State::Approved && now < start - minutes(check_in_lead))
    out.key("check-in").text(opens_at(start - minutes(check_in_lead)) + " 起可签到（" + before_start(check_in_lead) + "）");
  if (offered("start")) {
    if (now < start - minutes(start_lead))
      out.key("start").text(opens_at(start - minutes(start_lead)) + " 起可开工（" + before_start(start_lead) + "）");
    else if (raw.null("fire_watch_checked_in_at"))
      out.key("start").text("监护人尚未到岗签到");
    else if (workers_away)
      out.key("start").text("还有 " + std::to_string(workers_away) + " 名作业人员未签到");
    else if (raw.integer("gas_required") != 0)
      if (auto v = permit::check_gas(gas_samples, now, settings)) out.key("start").text(v->message);
  }
  if (offered("rounds") && now < next_round->second - minutes(kRoundBeforeMinutes))
    out.key("rounds").text(round_not_yet(next_round->first, next_round->second));
  if (offered("close")) {
    auto watched = *clock::parse_iso(raw.text("finished_at")) + minutes(settings.watch_minutes);
    if (now < watched)
      out.key("close").text("作业后监护不少于 " + std::to_string(settings.watch_minutes) + " 分钟，" + opens_at(watched) + " 起可关闭");
    else if (rounds_open)
      out.key("close").text("还有 " + std::to_string(rounds_open) + " 次巡查未完成");
  }
  out.end_object();
}

// The permit as the API shows it, written from a kPermitSummarySelect row (lists, board) or, `full`, from a
// kPermitSelect row with its workers, machines, gas analyses, measures, rounds, timeline and the caller's
// allowed commands (the detail, and the answer to every command).
void write_permit(JsonOut& out, store::Conn& c, const Caller& who, const DictLabels& labels, const store::RowView& raw, bool full) {
  long long id = raw.integer("id");
  State s = *permit::parse_state(raw.text("state"));
  out.begin_object();
  out.key("id").integer(id);
  out.key("stateLabel").text(permit::state_label(s));
  out.key("levelLabel").text(permit::level_label(*permit::parse_level(raw.text("level"))));
  out.key("levelReasons").raw_of(raw, "level_reasons");
  for (auto [name, column] : {std::pair<std::string_view, std::string_view>{"number", "number"}, {"publicToken", "public_token"}, {"state", "state"},
                              {"stateReason", "state_reason"}, {"place", "place"}, {"content", "content"},
                              {"method", "method"}, {"levelDeclared", "level_declared"}, {"level", "level"},
                              {"plannedStart", "planned_start"}, {"plannedEnd", "planned_end"}, {"startedAt", "started_at"},
                              {"finishedAt", "finished_at"}, {"closedAt", "closed_at"}, {"createdAt", "created_at"},
                              {"updatedAt", "updated_at"}})
    out.key(name).text_of(raw, column);
  out.key("indoor").boolean_of(raw, "indoor");
  out.key("venue").begin_object();
  out.key("id").integer_of(raw, "venue_id").key("name").text_of(raw, "x_venue_name");
  auto venue_type = raw.maybe_text("x_venue_type");
  auto venue_type_label = venue_type ? labels.find("venue_type", *venue_type) : std::nullopt;
  out.key("type").text_of(raw, "x_venue_type").key("typeLabel");
  venue_type_label ? out.text(*venue_type_label) : out.null();
  out.end_object();
  out.key("methodLabel").text(labels.find("hotwork_method", raw.text("method")).value_or(""));
  auto person = [&](std::string_view key, std::string_view id_col, std::string_view name_col, std::string_view user_col,
                    std::optional<std::string_view> checked_in_col) {
    out.key(key);
    if (raw.null(name_col)) return void(out.null());
    out.begin_object().key("id").integer_of(raw, id_col).key("name").text_of(raw, name_col).key("userId").integer_of(raw, user_col);
    if (checked_in_col) out.key("checkedInAt").text_of(raw, *checked_in_col);
    out.end_object();
  };
  person("jobLeader", "job_leader_id", "x_leader_name", "x_leader_user", std::nullopt);
  person("fireWatch", "fire_watch_id", "x_watch_name", "x_watch_user", "fire_watch_checked_in_at");
  out.key("workerCount").integer(raw.integer("x_workers"));
  Roles r = roles_of(who, raw.integer("applicant_user_id"), raw.integer("approver_user_id"), raw.integer("x_leader_user"),
                     raw.integer("x_watch_user"));
  out.key("todoStep");
  if (auto step = todo_step(who, r, s, !raw.null("fire_watch_checked_in_at"))) out.text(*step);
  else out.null();
  if (full) write_permit_details(out, c, who, r, raw, id, s);
  out.end_object();
}

// The permit `id` in full, if it is in `scope`'s data scope.
std::string full_permit(store::Conn& c, const Caller& who, long long id, const Caller& scope) {
  store::Params p{id};
  std::string cond = permit_scope(scope, p);
  JsonOut out;
  bool found = false;
  auto labels = load_dict_labels(c);
  for (const char* part : kPermitDetailParts) c.prefetch(part, {id});
  c.each_view(std::string(kPermitSelect) + " WHERE p.id = ? AND " + cond, p, [&](const store::RowView& raw) {
    found = true;
    write_permit(out, c, who, *labels, raw, true);
  });
  if (!found) throw not_found();
  return out.str();
}

// A write's answer: the permit as the detail shows it, read once the write `apply` (which returns the permit's id)
// has committed (Db::write_then_read), so that no lock the write took (PostgreSQL: the day's number counter;
// SQLite: the one writer) is held through the reads. After a command the caller may act on a permit outside
// their list scope (e.g. a worker), so it is read unscoped.
std::string write_and_answer(store::Db& db, const Caller& who, const std::function<long long(store::Conn&)>& apply) {
  static const Caller unscoped{.scope = access::DataScope::All};
  return db.write_then_read(apply, [&](store::Conn& c, long long id) { return full_permit(c, who, id, unscoped); });
}

}  // namespace

// ---- filing by department ----

void file_new_permit(store::Conn& c, long long id, long long venue_id, const std::string& state, const std::string& planned_start) {
  if (c.dialect() == store::Dialect::Postgres)
    return c.defer("INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start) "
                   "SELECT CAST(? AS BIGINT), org_unit_id, CAST(? AS TEXT), CAST(? AS TEXT) FROM venues WHERE id = ? "
                   "UNION SELECT CAST(? AS BIGINT), org_unit_id, CAST(? AS TEXT), CAST(? AS TEXT) FROM venue_supervisors WHERE venue_id = ?",
                   {id, state, planned_start, venue_id, id, state, planned_start, venue_id});
  // SQLite: one row per statement. An INSERT ... SELECT keeps a statement journal, as a trigger does (see 0040).
  std::set<long long> units;
  c.each_view("SELECT org_unit_id FROM venues WHERE id = ?1 UNION ALL SELECT org_unit_id FROM venue_supervisors WHERE venue_id = ?1",
              {venue_id}, [&](const store::RowView& r) { units.insert(r.integer("org_unit_id")); });
  for (long long unit : units)
    c.exec("INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start) VALUES (?, ?, ?, ?)",
           {id, unit, state, planned_start});
}

void refile_permits_by_department(store::Conn& c) {
  c.exec("DELETE FROM permit_org_units");
  c.exec("INSERT INTO permit_org_units (permit_id, org_unit_id, state, planned_start) "
         "SELECT p.id, u.org_unit_id, p.state, p.planned_start FROM permits p "
         "JOIN (SELECT id AS venue_id, org_unit_id FROM venues UNION SELECT venue_id, org_unit_id FROM venue_supervisors) u "
         "ON u.venue_id = p.venue_id");
}

// ---- reads ----

namespace {

// The earliest planned start of a permit still running at `time` (ISO UTC): no window is longer than
// kLongestWindowHours. A bound from below for the index on planned_start.
std::string earliest_start_meeting(const std::string& time) {
  return clock::iso_utc(*clock::parse_iso(time) - hours(permit::kLongestWindowHours));
}

// The list's filters (the caller's scope, ?orgUnitId, q, state, venueId, from), shared by the list and its count.
// `to` is left to the caller: the list writes only the tighter of it and the cursor.
struct PermitFilter {
  Filter f;
  std::optional<long long> department;
  std::optional<std::string> to;
  // The columns the order and the bounds are on: the department's filing when filtered by one.
  std::string start() const { return department ? "po.planned_start" : "p.planned_start"; }
  std::string id() const { return department ? "po.permit_id" : "p.id"; }
  std::string count_sql() const {
    return std::string("SELECT COUNT(*) FROM ") + (department ? "permit_org_units po CROSS JOIN permits p" : "permits p") + f.sql;
  }
};

PermitFilter permit_filter(const Caller& who, const QueryMap& q) {
  PermitFilter pf;
  Filter& f = pf.f;
  f.sql += " AND " + permit_scope(who, f.params);
  // Filtered by department (its venues' own unit or a supervising one), the list walks that department's filing
  // (permit_org_units), whose state and start stand in for the permit's so that its index serves the terms.
  // The department and the state are then written into the statement, not bound (as LIMIT is, see limit_sql):
  // PostgreSQL's plan for any department and state underestimates how many rows they hold and sorts them all
  // instead of walking the index. Both are checked values (a number, a state's own key), and there are few.
  pf.department = query_int(q, "orgUnitId");
  if (pf.department) f.sql += " AND po.org_unit_id = " + std::to_string(*pf.department) + " AND p.id = po.permit_id";
  if (auto v = query_str(q, "q")) f.add("(p.number LIKE ? OR p.place LIKE ? OR p.content LIKE ?)", "%" + *v + "%", "%" + *v + "%", "%" + *v + "%");
  if (auto v = query_str(q, "state")) {
    auto state = permit::parse_state(*v);
    if (!state) throw bad_request("INVALID_VALUE", "状态无效", "state");
    if (pf.department) f.sql += " AND po.state = '" + std::string(permit::state_key(*state)) + "'";
    else f.add("p.state = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("p.venue_id = ?", *v);
  // Bounded from below too, so that a narrow period does not read every older permit once its own rows run out.
  if (auto v = query_time(q, "from")) f.add("p.planned_end >= ? AND " + pf.start() + " >= ?", *v, earliest_start_meeting(*v));
  // 待我办理: the permits whose next step is the caller's (kTodoSteps), found from the caller's own
  // participations (indexed by user) rather than by walking the list, and still theirs (a person's account may
  // have changed since the permit was saved): the permits whose todoStep is not null, among those.
  if (query_bool(q, "todo").value_or(false)) {
    std::string steps;
    for (const auto& t : kTodoSteps)
      if (!*t.permission || who.has(t.permission))
        steps += std::string(steps.empty() ? "" : " OR ") + "(pp.role = '" + t.role + "' AND p.state = '" +
                 std::string(permit::state_key(t.state)) + "' AND " + t.holder + " = pp.user_id" +
                 (t.check_in ? " AND p.fire_watch_checked_in_at IS NULL)" : ")");
    f.add("EXISTS (SELECT 1 FROM permit_participants pp WHERE pp.permit_id = p.id AND pp.user_id = ? AND (" + steps + ")) AND "
          "p.id IN (SELECT permit_id FROM permit_participants WHERE user_id = ?)",
          who.user_id, who.user_id);
  }
  pf.to = query_time(q, "to", true);
  return pf;
}

}  // namespace

std::string count_permits(store::Db& db, const Caller& who, const QueryMap& q) {
  PermitFilter pf = permit_filter(who, q);
  if (pf.to) pf.f.add(pf.start() + " <= ?", *pf.to);
  long long total = db.read([&](store::Conn& c) { return c.scalar(pf.count_sql(), pf.f.params); });
  return JsonOut().begin_object().key("total").integer(total).end_object().str();
}

std::string list_permits(store::Db& db, const Caller& who, const QueryMap& q) {
  Paging pg = paging(q);
  PermitFilter pf = permit_filter(who, q);
  Filter& f = pf.f;
  std::optional<std::string>& to = pf.to;
  const std::string start = pf.start(), id = pf.id();
  // Keyset mode (?cursor=first, then the nextCursor of each answer): no OFFSET and no COUNT, so any page
  // depth costs the same. The cursor is the last row's "plannedStart~id".
  std::optional<std::string> cursor = query_str(q, "cursor", 40);
  if (cursor && *cursor != "first") {
    size_t tilde = cursor->find('~');
    long long after_id = 0;
    const char* id_end = cursor->data() + cursor->size();
    auto parsed = tilde == std::string::npos ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                                             : std::from_chars(cursor->data() + tilde + 1, id_end, after_id);
    auto time = tilde == std::string::npos ? std::nullopt : clock::parse_iso(cursor->substr(0, tilde));
    if (!time || parsed.ec != std::errc() || parsed.ptr != id_end)
      throw bad_request("INVALID_VALUE", "翻页游标无效，请从第一页重新查询", "cursor");
    std::string after_start = clock::iso_utc(*time);  // as stored
    // Written so that the index on planned_start bounds the scan (an OR at the top would not). Only the tighter
    // of this bound and `to` is written: SQLite's index range takes one upper bound, not the lower of two, and
    // would otherwise walk from `to` down to the cursor on every deep page.
    if (!to || after_start <= *to) {
      f.add(start + " <= ? AND (" + start + " < ? OR " + id + " < ?)", after_start, after_start, after_id);
      to.reset();
    }
  }
  if (to) f.add(start + " <= ?", *to);
  return db.read([&](store::Conn& c) {
    JsonOut out(1024 + 1024 * static_cast<size_t>(pg.size));  // a summary is some 900 bytes
    auto labels = load_dict_labels(c);
    out.begin_object().key("items").begin_array();
    std::string select = (pf.department ? kPermitSummaryByDepartment : kPermitSummarySelect) + f.sql + " ORDER BY " + start +
                         " DESC, " + id + " DESC";
    if (cursor) {
      c.generic_plans();
      long long written = 0;
      std::string next_cursor;  // the last row's, when one more row than the page shows there is a next page
      bool more = false;
      c.each_view(select + limit_sql(pg.size + 1), f.params, [&](const store::RowView& raw) {
        if (written++ == pg.size) return void(more = true);
        write_permit(out, c, who, *labels, raw, false);
        next_cursor = std::string(raw.text("planned_start")) + "~" + std::to_string(raw.integer("id"));
      });
      out.end_array().key("nextCursor");
      more ? out.text(next_cursor) : out.null();
    } else {
      long long total = c.scalar(pf.count_sql(), f.params);
      c.each_view(select + limit_sql(pg.size, pg.offset()), f.params,
                  [&](const store::RowView& raw) { write_permit(out, c, who, *labels, raw, false); });
      out.end_array().key("total").integer(total);
    }
    return out.end_object().str();
  });
}

namespace {

// The board's day: ?date (a local YYYY-MM-DD), today by default.
std::string board_date(const QueryMap& q) {
  if (auto d = query_str(q, "date", 10)) {
    if (d->size() != 10 || !clock::parse_iso(*d)) throw bad_request("INVALID_VALUE", "日期格式应为 YYYY-MM-DD", "date");
    return *d;
  }
  return clock::today();
}

// The board's rows: the permits in the caller's scope whose window meets the local day `date`.
Filter board_filter(store::Conn& c, const Caller& who, const std::string& date) {
  std::string day_start = clock::iso_utc(*clock::parse_iso(date));
  std::string day_end = clock::iso_utc(*clock::parse_iso(date) + hours(24));
  // Its start is bounded on both sides, so the index on planned_start reads only those days (not every earlier
  // permit). Not by the town's current limits: a permit approved before they were lowered may run longer.
  std::string earliest = earliest_start_meeting(day_start);
  Filter f;
  f.sql += " AND " + permit_scope(who, f.params);
  // The window is written into the statement, not bound (times we formatted; one statement a day): PostgreSQL
  // plans bound times as a wide window (a merge join, 17 ms at city scale) and re-planning each request with
  // the values took 0.9 ms for a 0.15 ms query; written in, the one plan kept for the day takes 0.06 ms.
  f.sql += " AND p.planned_start < '" + day_end + "' AND p.planned_start >= '" + earliest + "' AND p.planned_end > '" + day_start + "'";
  c.generic_plans();
  return f;
}

}  // namespace

std::string permit_board(store::Db& db, const Caller& who, const QueryMap& q) {
  std::string date = board_date(q);
  return db.read([&](store::Conn& c) {
    Filter f = board_filter(c, who, date);
    // Rows come in start order; each goes into its state's column.
    const std::vector<State>& states = permit::all_states();
    std::vector<JsonOut> columns(states.size());
    for (auto& column : columns) column.begin_array();
    auto labels = load_dict_labels(c);
    c.each_view(kPermitSummarySelect + f.sql + " ORDER BY p.planned_start, p.id", f.params, [&](const store::RowView& raw) {
      auto column = std::find(states.begin(), states.end(), *permit::parse_state(raw.text("state"))) - states.begin();
      write_permit(columns[column], c, who, *labels, raw, false);
    });
    JsonOut out;
    out.begin_object().key("date").text(date).key("columns").begin_array();
    for (size_t i = 0; i < states.size(); ++i)
      out.begin_object().key("state").text(permit::state_key(states[i])).key("label").text(permit::state_label(states[i]))
          .key("items").raw(columns[i].end_array().str()).end_object();
    return out.end_array().end_object().str();
  });
}

json permit_board_counts(store::Db& db, const Caller& who, const QueryMap& q) {
  std::string date = board_date(q);
  return db.read([&](store::Conn& c) {
    Filter f = board_filter(c, who, date);
    std::map<std::string, long long, std::less<>> by_state;
    c.each_view("SELECT p.state, COUNT(*) AS n FROM permits p" + f.sql + " GROUP BY p.state", f.params,
                [&](const store::RowView& r) { by_state[std::string(r.text("state"))] = r.integer("n"); });
    json columns = json::array();
    for (State s : permit::all_states()) {
      auto n = by_state.find(permit::state_key(s));
      columns.push_back({{"state", std::string(permit::state_key(s))}, {"label", std::string(permit::state_label(s))},
                         {"count", n == by_state.end() ? 0 : n->second}});
    }
    return json{{"date", date}, {"columns", columns}};
  });
}

std::string get_permit(store::Db& db, const Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    c.generic_plans();
    return full_permit(c, who, id, who);
  });
}

json measure_templates(store::Db& db) {
  return db.read([](store::Conn& c) { return json{{"items", enabled_measures(c)}}; });
}

json replace_measure_templates(store::Db& db, const Caller& who, const json& body) {
  if (!body.contains("items") || !body["items"].is_array() || body["items"].empty())
    throw bad_request("REQUIRED", "请至少保留一项安全措施", "items");
  if (body["items"].size() > 60) throw bad_request("INVALID_VALUE", "安全措施最多 60 项", "items");
  std::vector<std::tuple<std::string, std::string, long long>> items;
  std::set<std::string> codes;
  long long sort = 0;
  for (const auto& item : body["items"]) {
    if (!item.is_object()) throw bad_request("INVALID_TYPE", "每项须为对象", "items");
    for (const auto& [k, v] : item.items())
      if (k != "code" && k != "label") throw bad_request("UNKNOWN_FIELD", "不支持的字段：" + k.substr(0, 20), "items");
    Input in(item);
    std::string code, label;
    try {
      code = in.str("code", 40, "措施编码");
      label = in.str("label", 200, "措施内容");
    } catch (const ApiError& e) {
      throw bad_request(e.code, e.what(), "items");
    }
    if (code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      throw bad_request("INVALID_VALUE", "措施编码只能包含小写字母、数字和下划线", "items");
    if (!codes.insert(code).second) throw bad_request("INVALID_VALUE", "措施编码重复：" + code, "items");
    items.emplace_back(code, label, sort += 10);
  }
  return db.write([&](store::Conn& c) {
    json before = {{"items", c.rows("SELECT code, label FROM measure_templates WHERE enabled = 1 ORDER BY sort, code")}};
    c.changed(store::Topic::Rules);
    c.exec("UPDATE measure_templates SET enabled = 0");
    for (const auto& [code, label, order] : items) {
      c.exec("DELETE FROM measure_templates WHERE code = ?", {code});
      c.exec("INSERT INTO measure_templates (code, label, sort, enabled) VALUES (?, ?, ?, 1)", {code, label, order});
    }
    json after = {{"items", c.rows("SELECT code, label FROM measure_templates WHERE enabled = 1 ORDER BY sort, code")}};
    record(c, who, "rule.measure_templates_replace", "measure_templates", "", before, after);
    return json{{"items", enabled_measures(c)}};
  });
}

// ---- writes ----

std::string create_permit(store::Db& db, const Caller& who, const json& body) {
  Draft d = read_draft(body);
  return write_and_answer(db, who, [&](store::Conn& c) {
    if (c.dialect() == store::Dialect::Postgres) c.prefetch(kNextPermitId, {});
    auto involved = check_draft_refs(c, d, who.user_id);
    long long id = insert_draft(c, who, d);
    save_draft_parts(c, id, d, involved);
    add_event(c, id, "create", "draft", "draft", who, json::object());
    record(c, who, "permit.create", "permit", std::to_string(id), nullptr, json{{"venueId", d.venue_id}, {"place", d.place}});
    return id;
  });
}

std::string update_permit(store::Db& db, const Caller& who, long long id, const json& body) {
  Draft d = read_draft(body);
  return write_and_answer(db, who, [&](store::Conn& c) {
    json raw = raw_permit(c, who, id);
    if (raw["applicant_user_id"] != who.user_id) throw not_your_step("申请人");
    if (state_of(raw) != State::Draft)
      throw conflict("PERMIT_LOCKED", "动火作业证提交后不能修改地点、范围或人员；如需变更，请取消后重新申请", "");
    update_draft(c, id, d, check_draft_refs(c, d, who.user_id));
    add_event(c, id, "update", "draft", "draft", who, json::object());
    record(c, who, "permit.update", "permit", std::to_string(id), nullptr, json{{"place", d.place}});
    return id;
  });
}

std::string run_permit_command(store::Db& db, const Caller& who, long long id, const std::string& name, const json& body) {
  Input in(body);
  // Read the body before the transaction, so a bad field writes nothing.
  std::optional<Command> cmd;
  for (Command k : permit::all_commands())
    if (permit::command_key(k) == name && k != Command::Expire) cmd = k;
  std::string reason, note;
  std::optional<double> lat, lng;
  json photos = json::array();
  if (cmd == Command::Reject || cmd == Command::Cancel || cmd == Command::Revoke || cmd == Command::Suspend)
    reason = in.str("reason", 500, "原因");
  if (in.has("note")) note = in.opt_str("note", 500, "说明").value_or("");
  lat = in.opt_number("lat", "纬度", -90, 90);
  lng = in.opt_number("lng", "经度", -180, 180);
  if (in.has("photos")) photos = read_file_ids(body, "photos");
  std::optional<std::string> signature = read_signature(body);
  std::map<std::string, bool> answers;  // confirm-risk: code → applies
  if (cmd == Command::ConfirmRisk) {
    if (!body.contains("measures") || !body["measures"].is_array())
      throw bad_request("REQUIRED", "请逐项确认安全措施", "measures");
    for (const auto& m : body["measures"]) {
      for (const auto& [k, v] : m.items())
        if (k != "code" && k != "applies") throw bad_request("UNKNOWN_FIELD", "安全措施不支持的字段：" + k.substr(0, 20), "measures");
      if (!m.contains("code") || !m["code"].is_string() || !m.contains("applies") || !m["applies"].is_boolean())
        throw bad_request("INVALID_VALUE", "每项措施须包含 code 和 applies（涉及/不涉及）", "measures");
      answers[m["code"]] = m["applies"];
    }
  }

  auto apply = [&](store::Conn& c) {
    check_files_exist(c, photos, "photos");
    json raw = raw_permit(c, who, id);
    Roles roles = roles_of(who, raw);
    State s = state_of(raw);
    auto step_guard = [&](Command k) {
      if (!is_their_step(who, roles, k, s)) throw not_your_step(who_may(k));
    };
    // The step's timeline entry keeps the caller's handwritten signature, when they signed (the print shows it).
    // A step the rules require one for is refused without.
    auto sign = [&](json& detail) {
      if (!signature) {
        auto required = load_settings(c).signature_steps;
        if (std::find(required.begin(), required.end(), name) != required.end())
          throw bad_request("SIGNATURE_REQUIRED", "按本地动火规则，" + std::string(event_label(name)) + "须手写签名", "signature");
        return;
      }
      check_signature(c, *signature, who.user_id);
      detail["signature"] = *signature;
    };

    if (name == "check-in") {
      long long person = in.integer("personId", "签到人员");
      bool is_fire_watch = person == raw["fire_watch_id"];
      bool is_worker = c.row("SELECT person_id FROM permit_workers WHERE permit_id = ? AND person_id = ?", {id, person}).has_value();
      if (!is_fire_watch && !is_worker) throw bad_request("PERSON_NOT_ON_PERMIT", "该人员不在本动火作业证上", "personId");
      if (!(roles.fire_watch || roles.job_leader || person_user(c, person) == who.user_id)) throw not_your_step("本人、作业负责人或监护人");
      if (s != State::Approved && s != State::InProgress && s != State::Suspended)
        throw conflict("PERMIT_STATE_INVALID", "只有已批准或作业中的动火作业证可以签到");
      // Checking in says "on site now": not the day before.
      int lead = load_settings(c).check_in_before_minutes;
      if (clock::now() < at(raw["planned_start"]) - minutes(lead))
        throw bad_request("CHECK_IN_NOT_YET", "还未到签到时间：计划 " + clock::local_date(at(raw["planned_start"])) + " " +
                                                  clock::local_hhmm(at(raw["planned_start"])) + " 开始作业，" + before_start(lead) +
                                                  "起可到场签到", "");
      if (is_fire_watch)
        c.exec("UPDATE permits SET fire_watch_checked_in_at = ?, updated_at = ? WHERE id = ?", {now_iso(), now_iso(), id});
      else
        c.exec("UPDATE permit_workers SET checked_in_at = ? WHERE permit_id = ? AND person_id = ?", {now_iso(), id, person});
      json detail = {{"personId", person}, {"role", is_fire_watch ? "fire_watch" : "worker"}};
      if (lat) detail["lat"] = *lat, detail["lng"] = *lng;
      sign(detail);
      add_event(c, id, "check-in", raw["state"], raw["state"], who, detail);
      record(c, who, "permit.check_in", "permit", std::to_string(id), nullptr, detail);
      return;
    }
    if (name == "gas-analyses") {
      if (!(roles.job_leader || roles.fire_watch || roles.approver)) throw not_your_step("作业负责人、监护人或审批人");
      if (s != State::Approved && s != State::InProgress && s != State::Suspended)
        throw conflict("PERMIT_STATE_INVALID", "只有已批准或作业中的动火作业证可以记录气体分析");
      std::string sampled = clock::iso_utc(*clock::parse_iso(read_time(in, "sampledAt", "取样时间")));
      if (at(json(sampled)) > clock::now() + minutes(2)) throw bad_request("INVALID_VALUE", "取样时间不能晚于当前时间", "sampledAt");
      std::string gas = in.str("gas", 30, "检测气体");
      double lel = in.number("lelPercent", "爆炸下限", 0.1, 100);
      double result = in.number("resultPercent", "检测结果", 0, 100);
      std::string analyst = in.str("analyst", 30, "分析人");
      c.insert("INSERT INTO permit_gas_analyses (permit_id, sampled_at, gas, lel_percent, result_percent, analyst, recorded_by, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               {id, sampled, gas, lel, result, analyst, who.user_id, now_iso()});
      json detail = {{"gas", gas}, {"resultPercent", result}, {"passed", result <= permit::gas_threshold(lel)}};
      add_event(c, id, "gas-analyses", raw["state"], raw["state"], who, detail);
      record(c, who, "permit.gas_analysis", "permit", std::to_string(id), nullptr, detail);
      return;
    }
    if (name == "rounds") {
      if (!roles.fire_watch) throw not_your_step("监护人");
      if (s != State::Watching) throw conflict("PERMIT_STATE_INVALID", "只有作业后监护阶段可以记录巡查");
      std::string result = in.one_of("result", "巡查结果", {"normal", "abnormal"});
      // The alert an abnormal round raises is all its handlers have to go on.
      if (result == "abnormal" && note.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_request("ROUND_NOTE_REQUIRED", "巡查发现异常时请写明异常情况和已采取的处置", "note");
      auto next = c.row("SELECT seq, due_at FROM permit_rounds WHERE permit_id = ? AND done_at IS NULL ORDER BY seq LIMIT 1", {id});
      if (!next) throw conflict("ROUNDS_DONE", "巡查已全部完成，可以关闭");
      if (clock::now() < at((*next)["due_at"]) - minutes(kRoundBeforeMinutes))
        throw bad_request("ROUND_NOT_DUE", round_not_yet(num((*next)["seq"]), at((*next)["due_at"])), "");
      c.exec("UPDATE permit_rounds SET done_at = ?, result = ?, note = ?, photos = ?, lat = ?, lng = ?, done_by = ? "
             "WHERE permit_id = ? AND seq = ?",
             {now_iso(), result, note, photos.dump(), lat ? store::Value(*lat) : store::Value(nullptr),
              lng ? store::Value(*lng) : store::Value(nullptr), who.user_id, id, num((*next)["seq"])});
      json detail = {{"seq", num((*next)["seq"])}, {"result", result}, {"note", note}};
      sign(detail);
      add_event(c, id, "rounds", raw["state"], raw["state"], who, detail);
      record(c, who, "permit.round", "permit", std::to_string(id), nullptr, detail);
      if (result == "abnormal")
        open_alert(c, {"round_abnormal", "critical", "permit", std::to_string(id), raw["venue_id"].get<long long>(),
                       "动火作业证 " + raw["number"].get<std::string>() + " 监护巡查发现异常", note, raw["number"]});
      return;
    }

    if (!cmd) throw not_found();
    step_guard(*cmd);
    // The state comes before the rules: a command that cannot run from here says so.
    if (!permit::next_state(s, *cmd))
      throw conflict("PERMIT_STATE_INVALID", "动火作业证当前为「" + std::string(permit::state_label(s)) + "」，不能" +
                                                 std::string(permit::command_label(*cmd)));
    json detail = json::object();
    if (!reason.empty()) detail["reason"] = reason;
    if (!note.empty()) detail["note"] = note;
    sign(detail);
    switch (*cmd) {
      case Command::Submit:
        if (s == State::Draft) check_rules(c, raw, Stage::Submit);
        transition(c, who, raw, *cmd, detail, ", state_reason = ''");
        break;
      case Command::Survey: {
        json survey = {{"at", now_iso()}, {"by", who.name}, {"lat", lat ? json(*lat) : json(nullptr)},
                       {"lng", lng ? json(*lng) : json(nullptr)}, {"photos", photos}, {"note", note}};
        transition(c, who, raw, *cmd, detail, ", survey = ?", {survey.dump()});
        break;
      }
      case Command::ConfirmRisk: {
        // Answered against the checklist in force now, whose labels are kept with the answers.
        json templates = enabled_measures(c);
        for (const auto& [code, applies] : answers)
          if (std::none_of(templates.begin(), templates.end(), [&](const json& t) { return t["code"] == code; }))
            throw bad_request("INVALID_VALUE", "未知的安全措施：" + code.substr(0, 40), "measures");
        for (const auto& t : templates)
          if (!answers.count(t["code"]))
            throw bad_request("MEASURES_UNCONFIRMED", "请逐项确认全部安全措施（涉及/不涉及）", "measures");
        auto required = required_measures(raw["fire_separation"].get<bool>(), raw["gas_required"].get<bool>(),
                                          raw["method"].get<std::string>());
        for (size_t k = 0; k < templates.size(); ++k) {
          auto why = required.find(templates[k]["code"].get<std::string>());
          if (why != required.end() && !answers.at(why->first))
            throw bad_request("MEASURE_REQUIRED", "第 " + std::to_string(k + 1) + " 项「" + templates[k]["label"].get<std::string>() +
                                                      "」必须落实（" + why->second + "），不能选「不涉及」",
                              "measures");
        }
        for (const auto& t : templates)
          c.defer("INSERT INTO permit_measures (permit_id, code, label, sort, applies, confirmed_by, confirmed_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {id, store::value_of(t["code"]), store::value_of(t["label"]), store::value_of(t["sort"]),
                   static_cast<long long>(answers.at(t["code"])), who.name, now_iso()});
        json confirmation = {{"at", now_iso()}, {"by", who.name}, {"note", note}};
        transition(c, who, raw, *cmd, detail, ", risk_confirmation = ?", {confirmation.dump()});
        break;
      }
      case Command::Approve:
        check_rules(c, raw, Stage::Approve);
        transition(c, who, raw, *cmd, detail);
        break;
      case Command::Reject:
        transition(c, who, raw, *cmd, detail, ", state_reason = ?, survey = NULL, risk_confirmation = NULL", {reason});
        c.defer("DELETE FROM permit_measures WHERE permit_id = ?", {id});
        break;
      case Command::Start:
        check_rules(c, raw, Stage::Start);
        transition(c, who, raw, *cmd, detail, ", started_at = ?", {now_iso()});
        break;
      case Command::Suspend:
        transition(c, who, raw, *cmd, detail, ", state_reason = ?", {reason});
        break;
      case Command::Resume:
        transition(c, who, raw, *cmd, detail, ", state_reason = ''");
        break;
      case Command::Finish: {
        permit::Settings settings = load_settings(c);
        auto now = clock::now();
        // The state first (its version check settles a race), then the rounds, whose times the fire watch is told.
        transition(c, who, raw, *cmd, detail, ", finished_at = ?, photos_after = ?", {clock::iso_utc(now), photos.dump()}, false);
        int seq = 1;
        for (int offset : settings.round_offsets)
          c.exec("INSERT INTO permit_rounds (permit_id, seq, due_at) VALUES (?, ?, ?)",
                 {id, static_cast<long long>(seq++), clock::iso_utc(now + minutes(offset))});
        tell_permit_people(c, who, raw, *cmd, s, State::Watching, detail);
        break;
      }
      case Command::Close: {
        if (!in.has("siteClear")) throw bad_request("REQUIRED", "请确认人走场清、无残留火种", "siteClear");
        permit::Settings settings = load_settings(c);
        if (clock::now() < at(raw["finished_at"]) + minutes(settings.watch_minutes))
          throw bad_request("WATCH_TOO_SHORT", "作业后监护不少于 " + std::to_string(settings.watch_minutes) + " 分钟，请到 " +
                                                  clock::local_hhmm(at(raw["finished_at"]) + minutes(settings.watch_minutes)) + " 后再关闭", "");
        if (c.scalar("SELECT COUNT(*) FROM permit_rounds WHERE permit_id = ? AND done_at IS NULL", {id}) > 0)
          throw bad_request("ROUNDS_INCOMPLETE", "还有监护巡查未完成", "rounds");
        if (in.opt_bool("siteClear") != true) throw bad_request("SITE_NOT_CLEAR", "须确认人走场清、无残留火种后才能关闭", "siteClear");
        json after = json::parse(raw["photos_after"].get<std::string>());
        for (const auto& p : photos) after.push_back(p);
        transition(c, who, raw, *cmd, detail, ", closed_at = ?, site_clear = 1, photos_after = ?", {now_iso(), after.dump()});
        break;
      }
      case Command::Cancel:
      case Command::Revoke:
        transition(c, who, raw, *cmd, detail, ", state_reason = ?", {reason});
        break;
      case Command::Expire:
        break;
    }
  };
  return write_and_answer(db, who, [&](store::Conn& c) {
    apply(c);
    return id;
  });
}

// ---- public page and printables ----

std::optional<json> public_permit(store::Db& db, const std::string& token) {
  if (token.empty() || token.size() > 64) return std::nullopt;
  return db.read([&](store::Conn& c) -> std::optional<json> {
    auto p = c.row("SELECT p.number, p.place, p.planned_start, p.planned_end, p.state, p.level, v.name AS venue "
                   "FROM permits p JOIN venues v ON v.id = p.venue_id WHERE p.public_token = ?",
                   {token});
    if (!p) return std::nullopt;
    State s = *permit::parse_state((*p)["state"].get<std::string>());
    bool valid = (s == State::Approved || s == State::InProgress || s == State::Suspended) && clock::now() < at((*p)["planned_end"]);
    return json{{"number", (*p)["number"]}, {"venue", (*p)["venue"]}, {"place", (*p)["place"]},
                {"plannedStart", (*p)["planned_start"]}, {"plannedEnd", (*p)["planned_end"]},
                {"state", (*p)["state"]}, {"stateLabel", permit::state_label(s)},
                {"levelLabel", permit::level_label(*permit::parse_level((*p)["level"].get<std::string>()))}, {"valid", valid}};
  });
}


std::string permit_print_html(store::Db& db, const Caller& who, long long id, const std::string& base_url, bool notice) {
  json p = json::parse(get_permit(db, who, id));
  std::string qr = qr_svg(base_url + "/p/" + p["publicToken"].get<std::string>(), 4);
  std::string window = local_time(p["plannedStart"]) + " 至 " + local_time(p["plannedEnd"]);
  std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" +
                     std::string(notice ? "动火公告 " : "动火作业证 ") + esc(p["number"]) + "</title>" + kPrintStyle + "</head><body>";
  if (notice) {
    html += "<div class=\"qr\">" + qr + "</div><h1>动 火 公 告</h1><div class=\"sub\">依据《关于加强人员密集场所动火作业安全管理的若干措施》张贴于建筑主入口及作业现场</div>";
    html += "<div class=\"big\">动火作业证编号：" + esc(p["number"]) + "<br>场所：" + esc(p["venue"]["name"]) + "<br>动火部位：" + esc(p["place"]) +
            "<br>作业内容：" + esc(p["content"]) + "（" + esc(p["methodLabel"]) + "，" + esc(p["levelLabel"]) + "动火）<br>作业时间：" + window +
            "<br>作业负责人：" + esc(p["jobLeader"]["name"]) + "　　监护人：" + esc(p["fireWatch"]["name"]) +
            "<br>审批人：" + esc(p["approver"]["name"]) + "</div>";
    html += "<p>作业期间请勿靠近警戒区域。发现违规动火、未清理可燃物、未配置灭火器材等情况，请扫描二维码核验或拨打 119 / 12345 举报。</p>";
    return html + "</body></html>";
  }
  html += "<div class=\"qr\">" + qr + "</div><h1>动火作业证</h1><div class=\"sub\">编号 " + esc(p["number"]) + "　状态：" +
          esc(p["stateLabel"]) + "　扫码核验真伪</div><table>";
  auto row = [&](const std::string& k1, const std::string& v1, const std::string& k2, const std::string& v2) {
    html += "<tr><th>" + k1 + "</th><td>" + v1 + "</td><th>" + k2 + "</th><td>" + v2 + "</td></tr>";
  };
  row("动火场所", esc(p["venue"]["name"]), "动火部位", esc(p["place"]));
  row("作业内容", esc(p["content"]), "动火方式", esc(p["methodLabel"]));
  std::string level = esc(p["levelLabel"]);
  if (!p["levelReasons"].empty()) {
    level += "（申报" + std::string(permit::level_label(*permit::parse_level(p["levelDeclared"].get<std::string>()))) + "，升级：";
    for (const auto& r : p["levelReasons"]) level += esc(r) + "；";
    level += "）";
  }
  row("动火级别", level, "室内/室外", p["indoor"].get<bool>() ? "室内（" + esc(p["indoorReason"]) + "）" : "室外");
  row("作业时间", window, "施工单位", p["unit"].is_object() ? esc(p["unit"]["name"]) : "");
  std::string workers;
  for (const auto& w : p["workers"]) workers += esc(w["name"]) + "（" + esc(w["certificateKindLabel"]) + " " + esc(w["certificateNumber"]) + "）<br>";
  row("动火人及证书", workers, "焊机", [&] {
    std::string m;
    for (const auto& x : p["machines"]) m += esc(x["code"]) + " ";
    return m;
  }());
  row("作业负责人", esc(p["jobLeader"]["name"]), "监护人", esc(p["fireWatch"]["name"]));
  html += "<tr><th>风险辨识</th><td colspan=\"3\">" + esc(p["riskIdentification"]) + "</td></tr>";
  if (!p["riskAssessment"].get<std::string>().empty())
    html += "<tr><th>风险评估与管控</th><td colspan=\"3\">" + esc(p["riskAssessment"]) + "</td></tr>";
  html += "<tr><th>气体分析</th><td colspan=\"3\">";
  for (const auto& g : p["gasAnalyses"])
    html += local_time(g["sampledAt"]) + " " + esc(g["gas"]) + " " + esc(g["resultPercent"]) + "%（" + esc(g["analyst"]) + "）" +
            (g["passed"].get<bool>() ? "合格" : "不合格") + "<br>";
  html += (p["gasRequired"].get<bool>() ? "" : "不涉及") + std::string("</td></tr></table><table><tr><th style=\"width:70%\">安全措施</th><th>涉及</th><th>确认人</th></tr>");
  for (const auto& m : p["measures"])
    html += "<tr><td>" + esc(m["label"]) + "</td><td>" + (m["applies"].is_null() ? "" : m["applies"].get<bool>() ? "涉及" : "不涉及") +
            "</td><td>" + esc(m["confirmedBy"]) + "</td></tr>";
  html += "</table><table>";
  // Each step as its signer took it (the last time, after a rejection): name, time and the handwritten signature.
  auto signed_step = [&](std::string_view command) {
    std::string out;
    for (const auto& e : p["timeline"])
      if (e["command"] == command) {
        out = esc(e["name"]) + " " + local_time(e["at"]);
        if (e["detail"].is_object() && e["detail"].contains("signature"))
          out += "<br><img class=\"sig\" alt=\"签名\" src=\"/api/files/" + esc(e["detail"]["signature"]) + "\">";
      }
    return out;
  };
  // A rejection clears the survey and the risk confirmation: their earlier entries are no longer the permit's.
  row("审批人现场勘察", p["survey"].is_object() ? signed_step("survey") : "", "作业负责人风险确认",
      p["riskConfirmation"].is_object() ? signed_step("confirm-risk") : "");
  row("审批人签发", signed_step("approve"), "完工验收（人走场清）", p["siteClear"].get<bool>() ? signed_step("close") : "");
  html += "</table><p style=\"font-size:12px;color:#555\">一次动火作业、一张动火作业证、一套安全技术措施。本证不得涂改、转借，作业地点、内容变更须重新办理。</p>";
  return html + "</body></html>";
}

// ---- timers ----

int run_permit_timers(store::Db& db) {
  static const Caller system = [] {
    Caller c;
    c.username = "system";
    c.name = "系统";
    c.scope = access::DataScope::All;
    return c;
  }();
  int changes = 0;
  std::string now = now_iso();
  auto due = db.read([&](store::Conn& c) {
    return c.rows("SELECT id FROM permits WHERE state IN ('approved', 'in_progress', 'suspended') AND planned_end <= ?", {now});
  });
  for (const auto& row : due) {
    long long id = num(row["id"]);
    db.write([&](store::Conn& c) {
      json raw = raw_permit(c, system, id);
      State s = state_of(raw);
      std::string number = raw["number"];
      long long venue = raw["venue_id"];
      if (s == State::Approved) {
        transition(c, system, raw, Command::Expire, json{{"reason", "计划时间内未开工"}}, ", state_reason = ?", {std::string("计划时间内未开工")});
        open_alert(c, {"permit_not_started", "info", "permit", std::to_string(id), venue, "动火作业证 " + number + " 逾期未开工，已自动过期", "", number});
        ++changes;
      } else if (s == State::InProgress || s == State::Suspended) {
        if (open_alert(c, {"permit_overrun", "critical", "permit", std::to_string(id), venue,
                           "动火作业证 " + number + " 超过计划结束时间仍未结束（超时动火）", "", number}))
          ++changes;
        if (clock::now() >= at(raw["planned_end"]) + minutes(30)) {
          transition(c, system, raw, Command::Expire, json{{"reason", "超过计划结束时间 30 分钟仍未结束"}}, ", state_reason = ?",
                     {std::string("超时未结束，已自动过期")});
          ++changes;
        }
      }
    });
  }
  permit::Settings settings = db.read([](store::Conn& c) { return load_settings(c); });
  std::string late_before = clock::iso_utc(clock::now() - minutes(settings.round_grace_minutes));
  // The fire watch is told once when a round opens; one missed for longer than the grace raises round_late instead.
  auto opening = db.read([&](store::Conn& c) {
    return c.rows("SELECT r.permit_id, r.seq, r.due_at FROM permit_rounds r JOIN permits p ON p.id = r.permit_id "
                  "WHERE r.done_at IS NULL AND r.due_at <= ? AND r.due_at >= ? AND r.reminded_at IS NULL AND p.state = 'watching'",
                  {clock::iso_utc(clock::now() + minutes(kRoundBeforeMinutes)), late_before});
  });
  for (const auto& r : opening)
    db.write([&](store::Conn& c) {
      long long id = num(r["permit_id"]), seq = num(r["seq"]);
      if (c.exec("UPDATE permit_rounds SET reminded_at = ? WHERE permit_id = ? AND seq = ? AND reminded_at IS NULL AND done_at IS NULL",
                 {now_iso(), id, seq}) != 1)
        return;
      json raw = raw_permit(c, system, id);
      long long watch = c.scalar("SELECT COALESCE(MAX(user_id), 0) FROM permit_participants WHERE permit_id = ? AND role = 'fire_watch'", {id});
      if (!watch || state_of(raw) != State::Watching) return;
      notify(c, {.event = "permit.step", .title = "动火作业证待监护巡查：" + raw["number"].get<std::string>(),
                 .body = where_and_when(raw) + "第 " + std::to_string(seq) + " 次巡查 " + clock::local_hhmm(at(r["due_at"])) +
                         " 到期，请到现场巡查并记录。",
                 .link = "/permits/" + std::to_string(id), .permission = "permit:read", .users = {watch}});
      ++changes;
    });
  auto late = db.read([&](store::Conn& c) {
    return c.rows("SELECT DISTINCT p.id, p.number, p.venue_id FROM permit_rounds r JOIN permits p ON p.id = r.permit_id "
                  "WHERE p.state = 'watching' AND r.done_at IS NULL AND r.due_at < ?",
                  {late_before});
  });
  for (const auto& r : late)
    db.write([&](store::Conn& c) {
      if (open_alert(c, {"round_late", "warning", "permit", std::to_string(num(r["id"])), num(r["venue_id"]),
                         "动火作业证 " + r["number"].get<std::string>() + " 作业后监护巡查逾期", "", r["number"]}))
        ++changes;
    });
  return changes;
}

}  // namespace huoyan::app
