#include "app/reports.h"

#include <sodium.h>

#include "app/audit.h"
#include "app/files.h"
#include "app/hazards.h"
#include "app/input.h"
#include "app/notify.h"
#include "app/personal_data.h"
#include "app/print.h"
#include "app/qr.h"
#include "app/registries.h"
#include "app/rules.h"
#include "app/alerts.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/hazard.h"
#include "domain/validate.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

constexpr int kReportsPerIpHour = 10;
constexpr int kReportsPerDeviceHour = 5;
constexpr int kUploadsPerIpHour = 30;

using clock::now_iso;

// Counts one request in `bucket`; RATE_LIMITED when the last hour already holds `limit`.
// Runs in the caller's transaction, so a refused or failed request is not counted.
void take_rate(store::Conn& c, const std::string& bucket, int limit) {
  std::string since = clock::iso_utc(clock::now() - std::chrono::hours(1));
  if (c.scalar("SELECT COUNT(*) FROM rate_hits WHERE bucket = ? AND at > ?", {bucket, since}) >= limit)
    throw ApiError(429, "RATE_LIMITED", "提交过于频繁，请一小时后再试；紧急情况请拨打 119");
  c.exec("INSERT INTO rate_hits (bucket, at) VALUES (?, ?)", {bucket, now_iso()});
}

// Eight characters people can read out: no 0/O, 1/I/L.
std::string tracking_code() {
  static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string s;
  for (int i = 0; i < 8; ++i) s += alphabet[randombytes_uniform(sizeof alphabet - 1)];
  return s;
}

const char* kReportSelect =
    "SELECT r.id, r.tracking_code AS \"trackingCode\", r.venue_id AS \"venueId\", r.venue_name AS \"venueName\", r.category, "
    "hc.label AS \"categoryLabel\", r.description, r.photos, r.lat, r.lng, r.phone, r.state, r.overdue, r.verify_by AS \"verifyBy\", "
    "r.result, r.hazard_id AS \"hazardId\", r.reward, r.created_at AS \"createdAt\", r.updated_at AS \"updatedAt\" "
    "FROM public_reports r JOIN hazard_categories hc ON hc.code = r.category";

std::string report_scope(const access::Caller& who, store::Params& p) {
  // Reports without a known venue are the town task force's (全部数据) to triage.
  return store::scope_condition(
      who, {"SELECT v2.org_unit_id FROM venues v2 WHERE v2.id = r.venue_id",
            "SELECT vs.org_unit_id FROM venue_supervisors vs WHERE vs.venue_id = r.venue_id"},
      {"(SELECT v3.manager_user_id FROM venues v3 WHERE v3.id = r.venue_id)"}, p);
}

std::string state_label(const std::string& s) {
  return s == "received" ? "待核查" : s == "accepted" ? "已受理" : s == "rejected" ? "不予受理" : s;
}

void present(const store::Db& db, json& r) {
  store::as_int(r, {"id", "venueId", "hazardId"});
  store::as_bool(r, {"overdue"});
  r["stateLabel"] = state_label(r["state"]);
  r["photos"] = json::parse(r["photos"].get<std::string>());
  r["anonymous"] = !r["phone"].is_string();
  if (r["phone"].is_string()) r["phone"] = validate::mask_phone(personal::open(db, r["phone"].get<std::string>()));
  r["reward"] = r["reward"].is_string() ? json::parse(r["reward"].get<std::string>()) : json(nullptr);
  store::as_number(r, {"lat", "lng"});
}

json scoped_report(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = report_scope(who, p);
  auto row = c.row(std::string(kReportSelect) + " WHERE r.id = ? AND " + cond, p);
  if (!row) throw not_found();
  present(c.db(), *row);
  return *row;
}

const access::Caller& public_caller() {
  static const access::Caller c{.username = "public", .name = "群众举报", .scope = access::DataScope::All};
  return c;
}

}  // namespace

json public_venue(store::Db& db, const std::string& token) {
  return db.read([&](store::Conn& c) {
    auto v = c.row("SELECT name, address FROM venues WHERE qr_token = ?", {token});
    if (!v || token.empty()) throw not_found();
    json cats = c.rows("SELECT code, label FROM hazard_categories WHERE public_report = 1 ORDER BY sort, code");
    return json{{"name", (*v)["name"]}, {"address", (*v)["address"]}, {"categories", cats}};
  });
}

json public_upload(store::Db& db, const std::string& ip, const std::string& declared_type, const std::string& bytes) {
  // Counted before the (costly) image checks, so a flood of bad files is limited too.
  db.write([&](store::Conn& c) { take_rate(c, "upload-ip:" + ip, kUploadsPerIpHour); });
  json f = store_file(db, public_caller(), declared_type, bytes);
  return json{{"id", f["id"]}, {"contentType", f["contentType"]}, {"size", f["size"]}};
}

json submit_public_report(store::Db& db, const std::string& ip, const json& body) {
  Input in(body);
  auto token = in.opt_str("venueToken", 64, "场所二维码");
  auto typed_venue = in.opt_str("venueName", 100, "场所名称或地址");
  if (!token && !typed_venue) throw bad_request("REQUIRED", "请扫描场所二维码，或填写场所名称或地址", "venueName");
  std::string category = in.str("category", 40, "举报事项");
  std::string description = in.str("description", 1000, "情况描述");
  json photos = read_file_ids(body, "photos", 3);
  auto lat = in.opt_number("lat", "纬度", -90, 90);
  auto lng = in.opt_number("lng", "经度", -180, 180);
  if (lat.has_value() != lng.has_value()) throw bad_request("INVALID_VALUE", "位置须同时有经度和纬度", lat ? "lng" : "lat");
  auto phone = in.opt_str("phone", 20, "联系电话");
  if (phone && !validate::mobile_phone(*phone)) throw bad_request("INVALID_VALUE", "联系电话须为 11 位手机号，或不填（匿名）", "phone");
  auto device = in.opt_str("deviceId", 64, "设备标识");
  return db.write([&](store::Conn& c) {
    std::optional<long long> venue_id;
    std::string venue_name = typed_venue.value_or("");
    if (token) {
      auto v = c.row("SELECT id, name FROM venues WHERE qr_token = ?", {*token});
      if (!v) throw bad_request("VENUE_NOT_FOUND", "二维码对应的场所不存在，请填写场所名称或地址", "venueToken");
      venue_id = store::as_id((*v)["id"]);
      venue_name = (*v)["name"];
    }
    auto cat = c.row("SELECT verify_hours FROM hazard_categories WHERE code = ? AND public_report = 1", {category});
    if (!cat) throw bad_request("INVALID_VALUE", "举报事项无效", "category");
    check_files_exist(c, photos, "photos");
    take_rate(c, "report-ip:" + ip, kReportsPerIpHour);
    if (device) take_rate(c, "report-device:" + *device, kReportsPerDeviceHour);
    std::optional<int> hours;
    if ((*cat)["verify_hours"].is_number() || (*cat)["verify_hours"].is_string()) hours = static_cast<int>(store::as_id((*cat)["verify_hours"]));
    std::string verify_by = clock::iso_utc(hazard::report_verify_by(load_calendar(c), clock::now(), hours));
    std::string code, now = now_iso();
    do code = tracking_code();
    while (c.row("SELECT id FROM public_reports WHERE tracking_code = ?", {code}));
    long long id = c.insert(
        "INSERT INTO public_reports (tracking_code, venue_id, venue_name, category, description, photos, lat, lng, phone, device_id, ip, "
        "state, verify_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)",
        {code, venue_id ? store::Value(*venue_id) : store::Value(nullptr), venue_name, category, description, photos.dump(),
         lat ? store::Value(*lat) : store::Value(nullptr), lng ? store::Value(*lng) : store::Value(nullptr),
         phone ? store::Value(personal::seal(db, *phone)) : store::Value(nullptr), device ? store::Value(*device) : store::Value(nullptr), ip, verify_by,
         now, now});
    // Triagers hear of it; never the venue, which must not be tipped off nor learn who reported.
    Notice n{"report.received", "收到群众举报 " + code + "（" + venue_name + "）",
             c.text("SELECT label FROM hazard_categories WHERE code = ?", {category}).value_or(category) + "：" +
                 validate::clip_utf8(description, 300) + "\n核查时限 " + local_time(verify_by),
             "/reports/" + std::to_string(id)};
    if (venue_id) n.departments = venue_departments(c, *venue_id);
    n.task_force = n.departments.empty();
    n.permission = "report:triage";
    notify(c, n);
    // The audit row names the report, never the reporter.
    record(c, public_caller(), "report.submit", "report", std::to_string(id), nullptr,
           json{{"trackingCode", code}, {"venueName", venue_name}, {"category", category}});
    return json{{"trackingCode", code}, {"verifyBy", verify_by}};
  });
}

std::optional<json> public_report_status(store::Db& db, const std::string& code) {
  if (code.empty() || code.size() > 16) return std::nullopt;
  return db.read([&](store::Conn& c) -> std::optional<json> {
    auto r = c.row("SELECT r.tracking_code AS \"trackingCode\", r.venue_name AS \"venueName\", r.category, hc.label AS \"categoryLabel\", "
                   "r.description, r.state, r.created_at AS \"createdAt\", r.verify_by AS \"verifyBy\", r.result, h.state AS \"hazardState\" "
                   "FROM public_reports r JOIN hazard_categories hc ON hc.code = r.category LEFT JOIN hazards h ON h.id = r.hazard_id "
                   "WHERE r.tracking_code = ?",
                   {code});
    if (!r) return std::nullopt;
    json out = *r;
    out["stateLabel"] = state_label(out["state"]);
    out["hazardStateLabel"] = out["hazardState"].is_string()
                                  ? json(std::string(hazard::state_label(*hazard::parse_state(out["hazardState"].get<std::string>()))))
                                  : json(nullptr);
    return out;
  });
}

json list_reports(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + report_scope(who, f.params);
  if (auto v = query_str(q, "state")) {
    if (*v != "received" && *v != "accepted" && *v != "rejected") throw bad_request("INVALID_VALUE", "状态无效", "state");
    f.add("r.state = ?", *v);
  }
  if (auto v = query_int(q, "venueId")) f.add("r.venue_id = ?", *v);
  if (auto v = query_bool(q, "overdue")) f.add("r.overdue = ?", static_cast<long long>(*v));
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kReportSelect, "FROM public_reports r", f, "r.id DESC", p);
    for (auto& r : out["items"]) present(db, r);
    return out;
  });
}

json get_report(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    json r = scoped_report(c, who, id);
    // 疑似重复: the same venue and category within 7 days either side.
    json dups = json::array();
    if (r["venueId"].is_number()) {
      auto at = *clock::parse_iso(r["createdAt"].get<std::string>());
      std::string from = clock::iso_utc(at - std::chrono::days(7)), to = clock::iso_utc(at + std::chrono::days(7));
      for (auto h : c.rows("SELECT id, number, state, found_at AS \"createdAt\" FROM hazards WHERE venue_id = ? AND category = ? "
                           "AND found_at BETWEEN ? AND ? AND (report_id IS NULL OR report_id <> ?) ORDER BY id",
                           {r["venueId"].get<long long>(), r["category"].get<std::string>(), from, to, id})) {
        store::as_int(h, {"id"});
        h["type"] = "hazard";
        dups.push_back(h);
      }
      for (auto o : c.rows("SELECT id, tracking_code AS \"trackingCode\", state, created_at AS \"createdAt\" FROM public_reports "
                           "WHERE venue_id = ? AND category = ? AND id <> ? AND created_at BETWEEN ? AND ? ORDER BY id",
                           {r["venueId"].get<long long>(), r["category"].get<std::string>(), id, from, to})) {
        store::as_int(o, {"id"});
        o["type"] = "report";
        dups.push_back(o);
      }
    }
    r["duplicates"] = dups;
    return r;
  });
}

json run_report_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body) {
  // Fields first, so a bad body is a 400 whatever the report's state.
  Input in(body);
  NewHazard h;
  std::optional<std::string> description, reason, note;
  double amount = 0;
  if (name == "accept") {
    h.severity = read_severity(in, h.decision_record);
    description = in.opt_str("description", 2000, "隐患描述");
  } else if (name == "reject") {
    reason = in.str("reason", 500, "不予受理的原因");
  } else if (name == "reward") {
    amount = in.number("amount", "奖励金额（元）", 1, 1000000);
    note = in.opt_str("note", 500, "说明");
  } else {
    throw not_found();
  }
  return db.write([&](store::Conn& c) {
    json before = scoped_report(c, who, id);
    std::string now = now_iso();
    auto must_be = [&](const char* state, const std::string& what) {
      if (before["state"] != state)
        throw conflict("REPORT_STATE_INVALID", "举报当前为「" + before["stateLabel"].get<std::string>() + "」，不能" + what);
    };
    json out;
    if (name == "accept") {
      must_be("received", "转为隐患");
      if (!before["venueId"].is_number())
        throw bad_request("VENUE_REQUIRED", "举报未关联场所，请先核实场所后登记隐患", "venueId");
      h.source = "report";
      h.venue_id = before["venueId"];
      h.category = before["category"];
      h.description = description.value_or(before["description"].get<std::string>());
      h.photos = before["photos"];
      h.found_by = "群众举报（核查人 " + who.name + "）";
      h.found_at = before["createdAt"];
      h.report_id = id;
      long long hazard_id = insert_hazard(c, who, h);
      c.exec("UPDATE public_reports SET state = 'accepted', hazard_id = ?, result = ?, triaged_by = ?, triaged_at = ?, overdue = 0, "
             "updated_at = ? WHERE id = ?",
             {hazard_id, "经核查属实，已登记为隐患并督促整改", who.user_id, now, now, id});
      out = json{{"report", scoped_report(c, who, id)}, {"hazard", hazard_json(c, who, hazard_id, false)}};
      record(c, who, "report.accept", "report", std::to_string(id), before, out["report"]);
    } else if (name == "reject") {
      must_be("received", "不予受理");
      c.exec("UPDATE public_reports SET state = 'rejected', result = ?, triaged_by = ?, triaged_at = ?, overdue = 0, updated_at = ? WHERE id = ?",
             {"不予受理：" + *reason, who.user_id, now, now, id});
      out = scoped_report(c, who, id);
      record(c, who, "report.reject", "report", std::to_string(id), before, out);
    } else {
      must_be("accepted", "登记奖励（须已受理）");
      if (before["reward"].is_object()) throw conflict("ALREADY_REWARDED", "该举报已登记奖励");
      c.exec("UPDATE public_reports SET reward = ?, updated_at = ? WHERE id = ?",
             {json{{"amount", amount}, {"note", note.value_or("")}, {"at", now}, {"by", who.name}}.dump(), now, id});
      out = scoped_report(c, who, id);
      record(c, who, "report.reward", "report", std::to_string(id), before, out);
    }
    if (name != "reward") {
      c.exec("UPDATE alerts SET state = 'handled', closed_at = ?, result = '举报已核查', updated_at = ?, revision = revision + 1 "
             "WHERE source_type = 'report' AND source_id = ? AND state IN ('open', 'acknowledged')",
             {now, now, std::to_string(id)});
    }
    return out;
  });
}

std::string report_poster_html(store::Db& db, const access::Caller& who, long long venue_id, const std::string& base_url) {
  json v = get_venue(db, who, venue_id);
  json cats = db.read([](store::Conn& c) { return c.rows("SELECT label FROM hazard_categories WHERE public_report = 1 ORDER BY sort"); });
  std::string url = base_url + v["publicUrl"].get<std::string>();
  std::string html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>消防安全举报 " + esc(v["name"]) + "</title>" +
                     kPrintStyle +
                     "<style>.poster{text-align:center}.poster h1{font-size:40px;margin:10px 0}.poster .venue{font-size:24px;margin:6px 0 18px}"
                     ".poster .code svg{width:300px;height:300px}.items{display:inline-block;text-align:left;font-size:18px;line-height:1.9;"
                     "margin:14px auto}.foot{font-size:15px;color:#333;margin-top:14px}</style></head><body><div class=\"poster\">";
  html += "<h1>消防安全 扫码举报</h1><div class=\"venue\">" + esc(v["name"]) + "</div>";
  html += "<div class=\"code\">" + qr_svg(url, 4) + "</div><div>微信或手机浏览器扫码，无需登录，可匿名</div><div class=\"items\"><b>举报事项：</b><br>";
  for (const auto& c : cats) html += "□ " + esc(c["label"]) + "<br>";
  html += "</div><div class=\"foot\">举报人信息严格保密；经核查属实的，按规定给予奖励。<br>提交后保存查询码，可随时查看核查和整改结果。"
          "<br>火警请立即拨打 119</div></div></body></html>";
  return html;
}

int run_report_timers(store::Db& db) {
  return db.write([](store::Conn& c) {
    std::string now = now_iso();
    c.exec("DELETE FROM rate_hits WHERE at < ?", {clock::iso_utc(clock::now() - std::chrono::hours(2))});
    int changes = 0;
    for (const auto& r : c.rows("SELECT id, tracking_code, venue_id, venue_name, verify_by FROM public_reports "
                                "WHERE state = 'received' AND overdue = 0 AND verify_by < ?",
                                {now})) {
      long long id = store::as_id(r["id"]);
      c.exec("UPDATE public_reports SET overdue = 1, updated_at = ? WHERE id = ?", {now, id});
      std::optional<long long> venue;
      if (!r["venue_id"].is_null()) venue = store::as_id(r["venue_id"]);
      open_alert(c, {"report_overdue", "warning", "report", std::to_string(id), venue,
                     "群众举报 " + r["tracking_code"].get<std::string>() + "（" + r["venue_name"].get<std::string>() + "）逾期未核查",
                     "核查时限 " + local_time(r["verify_by"]) + "，已升级至专班", r["tracking_code"], {}, true, false});
      ++changes;
    }
    return changes;
  });
}

}  // namespace huoyan::app
