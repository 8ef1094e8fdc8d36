// `huoyan demo --scale city`: the demo town plus a whole city's records, for
// benchmarks. Rows are generated inside the database (INSERT ... SELECT over a
// number table), so both SQLite and PostgreSQL fill millions of rows in
// seconds; only what the database cannot compute (people's sealed personal
// data, the audit log's hash chain) is computed here and written in multi-row
// statements.
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>

#include "app/bootstrap.h"
#include "app/hazards.h"
#include "app/permits.h"
#include "app/personal_data.h"
#include "domain/audit_chain.h"
#include "domain/clock.h"

namespace huoyan::app {

namespace {

using store::Dialect;

// Dialect-specific SQL pieces.
struct Sql {
  Dialect d;
  // ISO-8601 UTC text of `epoch` (an SQL expression in seconds).
  std::string iso(const std::string& epoch) const {
    return d == Dialect::Sqlite ? "strftime('%Y-%m-%dT%H:%M:%SZ', " + epoch + ", 'unixepoch')"
                                : "to_char(to_timestamp(" + epoch + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  }
  // The local (UTC+8) date of `epoch`, "YYYYMMDD" or "YYYY-MM-DD".
  std::string local_day(const std::string& epoch, bool dashes) const {
    std::string e = "(" + epoch + ") + 28800";
    return d == Dialect::Sqlite ? std::string("strftime('") + (dashes ? "%Y-%m-%d" : "%Y%m%d") + "', " + e + ", 'unixepoch')"
                                : std::string("to_char(to_timestamp(") + e + ") AT TIME ZONE 'UTC', '" +
                                      (dashes ? "YYYY-MM-DD" : "YYYYMMDD") + "')";
  }
  // `expr` as text, zero-padded to `n` digits.
  std::string pad(const std::string& expr, int n) const {
    return d == Dialect::Sqlite ? "printf('%0" + std::to_string(n) + "d', " + expr + ")"
                                : "lpad(CAST(" + expr + " AS TEXT), " + std::to_string(n) + ", '0')";
  }
  std::string text(const std::string& expr) const { return "CAST(" + expr + " AS TEXT)"; }
};

// CASE (expr) % n WHEN 0 THEN v0 ... END over `values` (SQL literals).
std::string pick(const std::string& expr, const std::vector<std::string>& values) {
  std::string out = "CASE (" + expr + ") % " + std::to_string(values.size());
  for (size_t k = 0; k < values.size(); ++k) out += " WHEN " + std::to_string(k) + " THEN " + values[k];
  return out + " END";
}
std::string quoted(const std::string& s) { return "'" + s + "'"; }
std::vector<std::string> quoted_column(store::Conn& c, const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& r : c.rows(sql)) out.push_back(r.begin()->is_string() ? quoted(r.begin()->get<std::string>()) : r.begin()->dump());
  return out;
}

// Drops the indexes of `tables` that no constraint needs (and, with `permits`, the triggers that file permits by
// department, which PostgreSQL's replica role does not already skip) and returns the statements that make them
// again: a bulk load then builds each index once, sorted, instead of growing it row by row at random places.
std::vector<std::string> set_indexes_aside(store::Conn& c, const std::vector<std::string>& tables) {
  std::string in;
  for (const auto& t : tables) in += (in.empty() ? "'" : ", '") + t + "'";
  bool lite = c.dialect() == Dialect::Sqlite;
  // SQLite's indexes made by UNIQUE and PRIMARY KEY have no SQL; PostgreSQL's are named by their constraint.
  auto found = c.rows(lite ? "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN (" + in +
                                 ")) OR (type = 'trigger' AND tbl_name IN (" + in + ") AND name LIKE 'permit_org_units%'))"
                           : "SELECT 'index' AS type, indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename IN (" + in +
                                 ") AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = indexname)");
  std::vector<std::string> remake;
  for (const auto& r : found) {
    remake.push_back(r["sql"]);
    c.exec((r["type"] == "index" ? "DROP INDEX " : "DROP TRIGGER ") + r["name"].get<std::string>());
  }
  return remake;
}

// Each generated permit's timeline (permit_events) up to its state, as the commands would have written it: the
// steps before the work a day to 20 hours ahead of `start` (the permit's planned start in epoch seconds, an SQL
// expression over p.id), start, finish and close at the planned times, none after `now`.
void add_timelines(store::Conn& c, const Sql& q, long long permit0, const std::string& start, long long now) {
  struct Actor {
    std::optional<long long> id;
    std::string username, name;
  };
  auto user = [&](const char* username) {
    auto r = c.row("SELECT id, name FROM users WHERE username = ?", {username});
    return r ? Actor{store::as_id((*r)["id"]), username, (*r)["name"].get<std::string>()} : Actor{std::nullopt, username, username};
  };
  const Actor applicant = user("contractor"), approver = user("venue_mgr"), watch = user("firewatch"), officer = user("admin"),
              system{std::nullopt, "system", "系统"};
  struct Step {
    const char* command;
    const char* from;
    const char* to;
    long long offset;  // seconds from the planned start
    const Actor& by;
  };
  const std::vector<Step> path = {
      {"create", "draft", "draft", -86400, applicant},           {"submit", "draft", "submitted", -82800, applicant},
      {"survey", "submitted", "surveyed", -79200, approver},     {"confirm-risk", "surveyed", "risk_confirmed", -75600, applicant},
      {"approve", "risk_confirmed", "approved", -72000, approver}, {"start", "approved", "in_progress", 0, applicant},
      {"finish", "in_progress", "watching", 14400, applicant},   {"close", "watching", "closed", 18600, watch}};
  // Each state: how far along the path it got, and the step that ended it off the path.
  const std::vector<std::tuple<const char*, size_t, std::optional<Step>>> states = {
      {"draft", 1, {}}, {"submitted", 2, {}}, {"surveyed", 3, {}}, {"risk_confirmed", 4, {}}, {"approved", 5, {}},
      {"in_progress", 6, {}}, {"watching", 7, {}}, {"closed", 8, {}},
      {"cancelled", 5, Step{"cancel", "approved", "cancelled", -3600, applicant}},
      {"expired", 5, Step{"expire", "approved", "expired", 14400, system}},
      {"revoked", 6, Step{"revoke", "in_progress", "revoked", 3600, officer}}};
  c.exec("CREATE TABLE gen_event_steps (state TEXT, ord INTEGER, command TEXT, from_state TEXT, to_state TEXT, offset_s BIGINT, "
         "user_id BIGINT, username TEXT, name TEXT, PRIMARY KEY (state, ord))");
  for (const auto& [state, along, off] : states) {
    std::vector<Step> steps(path.begin(), path.begin() + static_cast<long>(along));
    if (off) steps.push_back(*off);
    for (size_t k = 0; k < steps.size(); ++k) {
      const Step& st = steps[k];
      c.exec("INSERT INTO gen_event_steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {state, static_cast<long long>(k), st.command, st.from, st.to, st.offset,
              st.by.id ? store::Value(*st.by.id) : store::Value(nullptr), st.by.username, st.by.name});
    }
  }
  std::string at = "CASE WHEN " + start + " + s.offset_s > " + std::to_string(now) + " THEN " + std::to_string(now) + " ELSE " +
                   start + " + s.offset_s END";
  c.exec("INSERT INTO permit_events (permit_id, at, command, from_state, to_state, user_id, username, name) SELECT p.id, " +
         q.iso(at) + ", s.command, s.from_state, s.to_state, s.user_id, s.username, s.name FROM permits p "
         "JOIN gen_event_steps s ON s.state = p.state WHERE p.id >= " + std::to_string(permit0) + " ORDER BY p.id, s.ord");
  c.exec("DROP TABLE gen_event_steps");
}

// Inserts rows first .. first + count - 1, each given by `row` (appending its values, one per column), in
// statements of 500 rows with their values bound: written into the statement as literals, they were parsed anew
// each time (40 % of the audit log's step on SQLite, two thirds on PostgreSQL).
void insert_generated(store::Conn& c, const std::string& insert_into, int columns, long long first, long long count,
                      const std::function<void(long long, store::Params&)>& row) {
  auto sql_for = [&](long long rows) {
    std::string one = "(?";
    for (int k = 1; k < columns; ++k) one += ", ?";
    one += ")";
    std::string sql = insert_into + " VALUES ";
    for (long long k = 0; k < rows; ++k) sql += k ? ", " + one : one;
    return sql;
  };
  const std::string full_batch_sql = sql_for(500);
  store::Params values;
  for (long long b = first; b < first + count; b += 500) {
    long long rows = std::min(first + count - b, 500LL);
    values.clear();
    for (long long n = b; n < b + rows; ++n) row(n, values);
    c.exec(rows == 500 ? full_batch_sql : sql_for(rows), values);
  }
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

CityScale city_scale(double factor) {
  auto n = [&](double v) { return std::max(1LL, static_cast<long long>(v * factor)); };
  return {n(50'000), n(200'000), n(200'000), n(2'000'000), n(500'000), n(5'000'000), n(5'000)};
}

nlohmann::json load_city(store::Db& db, const CityScale& s) {
  auto t0 = std::chrono::steady_clock::now();
  nlohmann::json timings = nlohmann::json::object();
  // PostgreSQL checks foreign keys with a trigger per row; the generated rows are consistent by construction,
  // so a superuser (the bench's own cluster) skips those checks for the bulk inserts.
  bool skip_fk = db.dialect() == Dialect::Postgres &&
                 db.read([](store::Conn& c) { return c.scalar("SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles WHERE rolname = current_user"); });
  auto step = [&](const char* name, auto&& f) {
    auto t = std::chrono::steady_clock::now();
    db.write([&](store::Conn& c) {
      if (skip_fk) c.exec("SET LOCAL session_replication_role = replica");
      f(c);
    });
    timings[name] = std::round(since(t) * 100) / 100;
    spdlog::info("city: {} in {:.1f} s", name, since(t));
  };
  Sql q{db.dialect()};
  long long now = std::chrono::duration_cast<std::chrono::seconds>(clock::now().time_since_epoch()).count();
  std::string now_iso = clock::iso_utc(clock::now());
  long long biggest = std::max({s.venues, s.people, s.machines, s.permits, s.hazards, s.units});

  step("numbers", [&](store::Conn& c) {
    // SQLite's writer connection: a page cache that holds the indexes being filled (random venue ids would
    // otherwise thrash the default 2 MB), for this process only.
    if (db.dialect() == Dialect::Sqlite) c.exec("PRAGMA cache_size = -1048576");
    c.exec("CREATE TABLE IF NOT EXISTS gen_seq (i BIGINT PRIMARY KEY)");
    c.exec("DELETE FROM gen_seq");
    c.exec("INSERT INTO gen_seq (i) WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < " +
           std::to_string(biggest - 1) + ") SELECT i FROM s");
  });

  // First ids of each generated range: generated row k has id first + k.
  long long unit0 = 0, venue0 = 0, person0 = 0, cert0 = 0, machine0 = 0, permit0 = 0;
  auto next_id = [](store::Conn& c, const char* table) { return c.scalar(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table); };
  std::string lim = " FROM gen_seq WHERE i < ";

  step("units", [&](store::Conn& c) {
    unit0 = next_id(c, "units");
    c.exec("INSERT INTO units (id, name, credit_code, kind, contact_name, contact_phone, address, created_by, created_at, updated_at) "
           "SELECT " + std::to_string(unit0) + " + i, '城市施工单位' || " + q.pad("i", 5) + " || '号', '91500000' || " + q.pad("i", 10) +
           ", 'contractor', '联系人', '139' || " + q.pad("i", 8) + ", '重庆市', 1, '" + now_iso + "', '" + now_iso + "'" + lim +
           std::to_string(s.units));
  });

  step("venues", [&](store::Conn& c) {
    venue0 = next_id(c, "venues");
    auto types = quoted_column(c, "SELECT value FROM dict_items WHERE type_code = 'venue_type' ORDER BY sort, id");
    auto villages = quoted_column(c, "SELECT id FROM org_units WHERE kind = 'village' ORDER BY id");
    auto departments = quoted_column(c, "SELECT id FROM org_units WHERE kind = 'department' ORDER BY id");
    c.exec("INSERT INTO venues (id, name, type, crowded, entertainment, address, org_unit_id, lat, lng, geofence_radius, "
           "principal_name, principal_phone, qr_token, created_by, created_at, updated_at) SELECT " + std::to_string(venue0) +
           " + i, '城市场所' || " + q.pad("i", 6) + ", " + pick("i", types) + ", 1, 0, '重庆市某区某路' || " + q.text("i") + " || '号', " +
           pick("i / 7", villages) + ", 29.4 + (i % 1000) * 0.0004, 106.3 + (i / 1000) * 0.004, 200, '负责人', '138' || " + q.pad("i", 8) +
           ", 'cv' || " + q.pad("i", 7) + " || " + q.text("(i * 7919) % 99991") + ", 1, '" + now_iso + "', '" + now_iso + "'" + lim +
           std::to_string(s.venues));
    c.exec("INSERT INTO venue_supervisors (venue_id, org_unit_id) SELECT " + std::to_string(venue0) + " + i, " + pick("i", departments) +
           lim + std::to_string(s.venues));
  });

  step("contact phones sealed", [&](store::Conn& c) { personal::seal_contact_phones(c); });

  step("people", [&](store::Conn& c) {
    person0 = next_id(c, "people");
    cert0 = next_id(c, "certificates");
    const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "罗", "高", "林"};
    const char* given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强", "海燕", "国庆"};
    auto digits = [](long long n, int width) {
      std::string d = std::to_string(n);
      return std::string(width > static_cast<int>(d.size()) ? width - d.size() : 0, '0') + d;
    };
    // Sealed here (the database cannot): ID numbers, phones and certificate numbers as the application stores them.
    insert_generated(c, "INSERT INTO people (id, name, citizen_id, citizen_id_hash, phone, phone_hash, unit_id, created_by, created_at, updated_at)",
                     10, 0, s.people, [&](long long i, store::Params& v) {
      std::string citizen_id = "5001" + digits(i, 13) + "0", phone = "137" + digits(i, 8);
      v.insert(v.end(), {person0 + i, std::string(surnames[i % 20]) + given[(i / 20) % 20], personal::seal(db, citizen_id),
                         personal::lookup(db, citizen_id), personal::seal(db, phone), personal::lookup(db, phone),
                         unit0 + i % s.units, 1LL, now_iso, now_iso});
    });
    // One certificate each: most valid for years, some expiring or expired, so the expiry job has work.
    auto day_at = [](long long epoch) { return clock::local_date(clock::TimePoint(std::chrono::seconds(epoch))); };
    std::string first_issued = day_at(now - 94608000);
    insert_generated(c, "INSERT INTO certificates (id, person_id, kind, number, number_hash, issuer, first_issued, valid_until, "
                        "next_review, status, created_by, created_at, updated_at)",
                     13, 0, s.people, [&](long long i, store::Params& v) {
      std::string number = "TC" + digits(i, 12);
      v.insert(v.end(), {cert0 + i, person0 + i, "special_op_fusion", personal::seal(db, number), personal::lookup(db, number),
                         "重庆市应急管理局", first_issued, day_at(now + ((i % 50) - 2) * 2592000), nullptr, "valid", 1LL, now_iso, now_iso});
    });
  });

  step("machines", [&](store::Conn& c) {
    machine0 = next_id(c, "machines");
    auto kinds = quoted_column(c, "SELECT value FROM dict_items WHERE type_code = 'machine_kind' ORDER BY sort, id");
    c.exec("INSERT INTO machines (id, code, chip_id, unit_id, kind, model, status, created_by, created_at, updated_at) SELECT " +
           std::to_string(machine0) + " + i, 'CQ-HJ-' || " + q.pad("i", 7) + ", 'CHIPC' || " + q.pad("i", 9) + ", " + std::to_string(unit0) +
           " + i % " + std::to_string(s.units) + ", " + pick("i", kinds) + ", 'ZX7-400', 'active', 1, '" + now_iso + "', '" + now_iso +
           "'" + lim + std::to_string(s.machines));
  });

  step("permits", [&](store::Conn& c) {
    auto indexes = set_indexes_aside(c, {"permits", "permit_workers", "permit_machines", "permit_org_units", "permit_events",
                                         "permit_measures", "permit_rounds"});
    permit0 = next_id(c, "permits");
    long long applicant = c.scalar("SELECT id FROM users WHERE username = 'contractor'");
    long long approver = c.scalar("SELECT id FROM users WHERE username = 'venue_mgr'");
    auto name_of = [&](long long user) { return c.text("SELECT name FROM users WHERE id = ?", {user}).value_or("系统"); };
    // Two years up to tomorrow, evenly: permit i starts at `start`; its number is DH-<local day>-<5000 + rank in the
    // day>, above what the demo and a day's real traffic use, and the day's counter is moved past it below.
    // A permit that ran is closed once its fire watch ended: three rounds 15, 30 and 60 minutes after the work
    // (as the demo's settings have them), closed 70 minutes after its planned end.
    long long span = 730LL * 86400, step_s = std::max(1LL, span / s.permits);
    std::string now_s = std::to_string(now);
    std::string start = "(" + std::to_string(now - span + 86400) + " + i * " + std::to_string(step_s) + ")";
    std::string end = start + " + 14400", closed_at = end + " + 4200";
    // `start` + `offset` seconds, but never after now (a step before the work of a permit applied for lately).
    auto before_now = [&](const std::string& offset) {
      return q.iso("CASE WHEN " + start + " + " + offset + " > " + now_s + " THEN " + now_s + " ELSE " + start + " + " + offset + " END");
    };
    std::string state = "CASE WHEN " + closed_at + " < " + now_s + " THEN " +
                        pick("i", {"'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'",
                                   "'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'", "'closed'",
                                   "'cancelled'", "'expired'", "'revoked'", "'closed'"}) +
                        " WHEN " + end + " < " + now_s + " THEN 'watching' WHEN " + start + " <= " + now_s + " THEN " +
                        pick("i", {"'in_progress'", "'watching'", "'approved'"}) + " ELSE " +
                        pick("i", {"'draft'", "'submitted'", "'surveyed'", "'risk_confirmed'", "'approved'"}) + " END";
    const std::string started = "g.st IN ('in_progress', 'watching', 'closed', 'revoked')";
    const std::string surveyed = "g.st NOT IN ('draft', 'submitted')", confirmed = "g.st NOT IN ('draft', 'submitted', 'surveyed')";
    // Finished at the planned end, or, still watching, when the work stopped early: now.
    std::string finished = "CASE WHEN " + end + " < " + now_s + " THEN " + end + " ELSE " + now_s + " END";
    std::string per_day = std::to_string(86400 / step_s + 1);  // at most this many permits start on one day
    // The approver's survey and the applicant's risk confirmation, as survey and confirm-risk write them.
    std::string survey = "'{\"at\":\"' || " + before_now("-79200") + " || '\",\"by\":\"" + name_of(approver) +
                         "\",\"lat\":29.44,\"lng\":106.36,\"photos\":[],\"note\":\"现场已查看，作业区域周边可燃物已清理\"}'";
    std::string confirmation = "'{\"at\":\"' || " + before_now("-75600") + " || '\",\"by\":\"" + name_of(applicant) + "\",\"note\":\"\"}'";
    c.exec("INSERT INTO permits (worker_count, id, number, public_token, venue_id, place, indoor, content, method, level_declared, level, "
           "planned_start, planned_end, unit_id, job_leader_id, fire_watch_id, approver_user_id, applicant_user_id, "
           "risk_identification, state, survey, risk_confirmation, started_at, fire_watch_checked_in_at, finished_at, closed_at, "
           "site_clear, created_at, updated_at) SELECT 1, " +
           std::to_string(permit0) + " + i, 'DH-' || " + q.local_day(start, false) + " || '-' || " +
           q.pad("5000 + (i % " + per_day + ")", 4) + ", 'cp' || " + q.pad("i", 8) + ", " +
           std::to_string(venue0) + " + (i * 7919) % " + std::to_string(s.venues) + ", '设备间钢结构', 0, '钢支架补焊', " +
           pick("i", {"'electric_welding'", "'gas_cutting'", "'electric_welding'", "'gas_welding'"}) + ", 'level2', 'level2', " +
           q.iso(start) + ", " + q.iso(end) + ", " + std::to_string(unit0) + " + i % " + std::to_string(s.units) + ", " +
           std::to_string(person0) + " + (2 * i) % " + std::to_string(s.people) + ", " + std::to_string(person0) + " + (2 * i + 1) % " +
           std::to_string(s.people) + ", " + std::to_string(approver) + ", " + std::to_string(applicant) +
           ", '焊接火花飞溅可能引燃周边可燃物', g.st, CASE WHEN " + surveyed + " THEN " + survey + " END, CASE WHEN " + confirmed +
           " THEN " + confirmation + " END, CASE WHEN " + started + " THEN " + q.iso(start) + " END, CASE WHEN " + started + " THEN " +
           q.iso(start + " - 720") + " END, CASE WHEN g.st IN ('watching', 'closed') THEN " + q.iso(finished) +
           " END, CASE WHEN g.st = 'closed' THEN " + q.iso(closed_at) + " END, CASE WHEN g.st = 'closed' THEN 1 ELSE 0 END, " +
           q.iso(start + " - 86400") + ", " + q.iso(start) + " FROM (SELECT i, " + state + " AS st" + lim + std::to_string(s.permits) +
           ") g");
    // The job leader is the permit's one worker, checked in 10 minutes before the start of work that ran.
    std::string p_start = "(" + std::to_string(now - span + 86400) + " + (p.id - " + std::to_string(permit0) + ") * " +
                          std::to_string(step_s) + ")";
    c.exec("INSERT INTO permit_workers (permit_id, person_id, certificate_id, planned_end, checked_in_at) SELECT p.id, p.job_leader_id, " +
           std::to_string(cert0 - person0) + " + p.job_leader_id, p.planned_end, CASE WHEN p.started_at IS NOT NULL THEN " +
           q.iso(p_start + " - 600") + " END FROM permits p WHERE p.id >= " + std::to_string(permit0));
    c.exec("INSERT INTO permit_machines (permit_id, machine_id, planned_end) SELECT " + std::to_string(permit0) + " + i, " +
           std::to_string(machine0) + " + i % " + std::to_string(s.machines) + ", " + q.iso(end) + lim + std::to_string(s.permits));
    // The fire watch's rounds after the work: all done once closed; while watching, those due 25 minutes ago or more.
    std::string finished_s = "(CASE WHEN " + p_start + " + 14400 < " + now_s + " THEN " + p_start + " + 14400 ELSE " + now_s + " END)";
    std::string due = finished_s + " + r.after_s", done = "(p.state = 'closed' OR " + due + " + 1500 < " + now_s + ")";
    c.exec("INSERT INTO permit_rounds (permit_id, seq, due_at, done_at, result, note, done_by) SELECT p.id, r.seq, " + q.iso(due) +
           ", CASE WHEN " + done + " THEN " + q.iso(due + " + 120") + " END, CASE WHEN " + done + " THEN 'normal' END, CASE WHEN " + done +
           " THEN '无残留火种，现场已清理' ELSE '' END, NULL FROM permits p CROSS JOIN (SELECT 1 AS seq, 900 AS after_s UNION ALL "
           "SELECT 2, 1800 UNION ALL SELECT 3, 3600) r WHERE p.id >= " + std::to_string(permit0) + " AND p.state IN ('watching', 'closed')");
    // The job leader's answer to each measure (what the method and the application settle apply; the rest as
    // most sites answer), for the permits of the last 90 days and the coming ones: fourteen rows a permit would
    // be some 28 million rows and 4 GB for two years, a fifth of the city's generation time. Older permits show
    // the checklist unanswered.
    long long recent = permit0 + std::max(0LL, (span - 86400 - 90LL * 86400) / step_s);
    c.exec("INSERT INTO permit_measures (permit_id, code, label, sort, applies, confirmed_by, confirmed_at) SELECT p.id, t.code, t.label, "
           "t.sort, CASE WHEN t.code IN ('fire_separation', 'gas_tested') THEN 0 WHEN t.code = 'welder_grounding' THEN "
           "CASE WHEN p.method = 'electric_welding' THEN 1 ELSE 0 END WHEN t.code = 'cylinders' THEN CASE WHEN p.method = "
           "'electric_welding' THEN 0 ELSE 1 END ELSE 1 END, " + quoted(name_of(applicant)) + ", " +
           q.iso("CASE WHEN " + p_start + " - 75600 > " + now_s + " THEN " + now_s + " ELSE " + p_start + " - 75600 END") +
           " FROM permits p CROSS JOIN measure_templates t WHERE t.enabled = 1 AND p.id >= " + std::to_string(recent) +
           " AND p.state NOT IN ('draft', 'submitted', 'surveyed')");
    // New permits of a day continue after the generated ones (counters are keyed by the day as YYYY-MM-DD).
    c.exec("INSERT INTO permit_counters (day, last) SELECT substr(number, 4, 4) || '-' || substr(number, 8, 2) || '-' || "
           "substr(number, 10, 2), MAX(CAST(substr(number, 13) AS INTEGER)) FROM permits WHERE id >= " + std::to_string(permit0) +
           " GROUP BY 1 ON CONFLICT (day) DO UPDATE SET last = CASE WHEN excluded.last > "
           "permit_counters.last THEN excluded.last ELSE permit_counters.last END");
    refile_permits_by_department(c);
    add_timelines(c, q, permit0, p_start, now);
    for (const auto& sql : indexes) c.exec(sql);
  });

  step("hazards", [&](store::Conn& c) {
    auto indexes = set_indexes_aside(c, {"hazards"});
    long long hazard0 = next_id(c, "hazards");
    auto categories = quoted_column(c, "SELECT code FROM hazard_categories ORDER BY sort, code");
    auto departments = quoted_column(c, "SELECT id FROM org_units WHERE kind = 'department' ORDER BY id");
    long long span = 730LL * 86400, step_s = std::max(1LL, span / s.hazards);
    std::string found = "(" + std::to_string(now - span) + " + i * " + std::to_string(step_s) + ")";
    std::string per_day = std::to_string(86400 / step_s + 1);
    // Older than 30 days: closed but for a few left overdue; recent ones spread over the loop.
    std::string recent = found + " > " + std::to_string(now - 30 * 86400);
    std::string state = "CASE WHEN NOT (" + recent + ") THEN " + pick("i", {"'closed'", "'closed'", "'closed'", "'closed'", "'closed'",
                                                                          "'closed'", "'closed'", "'closed'", "'closed'", "'rectifying'"}) +
                        " ELSE " + pick("i", {"'reported'", "'rectifying'", "'rectifying'", "'awaiting_recheck'", "'closed'"}) + " END";
    c.exec("INSERT INTO hazards (id, number, source, venue_id, category, severity, description, location, found_by, found_at, "
           "supervisor_org_unit_id, responsible_person, deadline, state, overdue, created_at, updated_at) SELECT " +
           std::to_string(hazard0) + " + i, 'YH-' || " + q.local_day(found, false) + " || '-' || " + q.pad("5000 + (i % " + per_day + ")", 4) +
           ", " + pick("i", {"'inspection'", "'patrol'", "'report'", "'self_check'"}) + ", " + std::to_string(venue0) + " + (i * 104729) % " +
           std::to_string(s.venues) + ", " + pick("i", categories) + ", CASE WHEN i % 200 = 0 THEN 'major' ELSE 'general' END, " +
           "'检查发现的问题（城市规模测试数据）', '', '检查员', " + q.iso(found) + ", " + pick("(i * 104729) % " + std::to_string(s.venues), departments) + ", '场所负责人', " +
           q.local_day(found + " + 1209600", true) + ", " + state + ", 0, " + q.iso(found) + ", " + q.iso(found) + lim +
           std::to_string(s.hazards));
    // Not closed and past the deadline: overdue, as the timer would have marked them.
    c.exec("UPDATE hazards SET overdue = 1 WHERE id >= " + std::to_string(hazard0) + " AND state <> 'closed' AND deadline < '" +
           clock::today() + "'");
    c.exec("INSERT INTO number_counters (name, period, last) SELECT 'hazard', substr(number, 4, 8), MAX(CAST(substr(number, 13, 4) AS INTEGER)) "
           "FROM hazards WHERE id >= " + std::to_string(hazard0) + " GROUP BY substr(number, 4, 8) "
           "ON CONFLICT (name, period) DO UPDATE SET last = excluded.last");
    for (const auto& sql : indexes) c.exec(sql);
    // PostgreSQL's replica role skipped the counting triggers too.
    rebuild_hazard_counts(c);
  });

  // The audit log: the chain continues from the demo's last row.
  auto ta = std::chrono::steady_clock::now();
  auto last = db.read([](store::Conn& c) { return c.row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"); });
  std::string prev = last ? (*last)["hash"].get<std::string>() : audit_chain::kGenesis;
  // PostgreSQL builds the log's indexes afterwards faster than it grows them row by row (compared at 0.2 of
  // the city: 17 s → 11 s); SQLite the other way round (14 s → 22 s at 0.3), so it keeps them.
  std::vector<std::string> audit_indexes;
  if (db.dialect() == Dialect::Postgres) audit_indexes = db.write([](store::Conn& c) { return set_indexes_aside(c, {"audit_log"}); });
  long long audit_span = 730LL * 86400;
  for (long long done = 0; done < s.audit;) {
    long long batch = std::min(50'000LL, s.audit - done);
    db.write([&](store::Conn& c) {
      if (skip_fk) c.exec("SET LOCAL session_replication_role = replica");
      insert_generated(c, "INSERT INTO audit_log (at, user_id, username, ip, action, target_type, target_id, summary, prev_hash, hash)",
                       10, done, batch, [&](long long n, store::Params& values) {
          audit_chain::Entry e;
          e.at = clock::iso_utc(clock::TimePoint(std::chrono::seconds(now - audit_span + n * audit_span / s.audit)));
          e.user_id = 1 + n % 10;
          e.username = "user" + std::to_string(1 + n % 10);
          e.ip = "10.0." + std::to_string(n % 200) + "." + std::to_string(n % 250 + 1);
          e.action = n % 3 == 0 ? "permit.submit" : n % 3 == 1 ? "permit.approve" : "hazard.assign";
          e.target_type = n % 3 == 2 ? "hazard" : "permit";
          e.target_id = std::to_string(n % 3 == 2 ? n % s.hazards + 1 : permit0 + n % s.permits);
          e.summary = "{\"before\":null,\"after\":{\"n\":" + std::to_string(n) + "}}";
          e.prev_hash = prev;
          e.hash = audit_chain::compute_hash(e);
          prev = e.hash;
          values.insert(values.end(), {e.at, e.user_id, e.username, e.ip, e.action, e.target_type, e.target_id, e.summary,
                                       e.prev_hash, e.hash});
      });
    });
    done += batch;
  }
  db.write([&](store::Conn& c) {
    for (const auto& sql : audit_indexes) c.exec(sql);
  });
  timings["audit"] = std::round(since(ta) * 100) / 100;

  step("finish", [&](store::Conn& c) {
    c.exec("DROP TABLE gen_seq");
    // Rows were inserted with explicit ids: move PostgreSQL's sequences past them.
    if (db.dialect() == Dialect::Postgres)
      for (const char* t : {"units", "venues", "people", "certificates", "machines", "permits", "hazards"})
        c.exec(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))");
    else
      c.exec("ANALYZE");
  });
  // PostgreSQL: VACUUM (outside a transaction, so on a reader) marks the freshly written pages all-visible and sets
  // their hint bits now, so neither the first readers nor autovacuum have to do it while the city is serving;
  // where autovacuum already went over a table during the load, it skips those pages (a few seconds at city scale).
  if (db.dialect() == Dialect::Postgres) {
    auto t = std::chrono::steady_clock::now();
    db.read([](store::Conn& c) { c.exec("VACUUM (ANALYZE)"); });
    timings["vacuum"] = std::round(since(t) * 100) / 100;
  }
  return {{"seconds", std::round(since(t0) * 10) / 10},
          {"steps", timings},
          {"rows", {{"venues", s.venues}, {"people", s.people}, {"certificates", s.people}, {"machines", s.machines},
                    {"permits", s.permits}, {"hazards", s.hazards}, {"audit", s.audit}, {"units", s.units}}}};
}

}  // namespace huoyan::app
