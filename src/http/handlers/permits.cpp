#include "app/alerts.h"
#include "app/devices.h"
#include "app/files.h"
#include "app/input.h"
#include "app/permits.h"
#include "app/market.h"
#include "app/small_projects.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "http/handlers/handlers.h"
#include "jobs/scheduler.h"

namespace huoyan::http {

namespace {
using F = FieldType;
Reply ok(const json& j) { return Reply::json_body(j); }
Reply html(std::string body) {
  Reply r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}
std::string base_url(const Request& req) {
  std::string host = req.header("host");
  if (host.empty() || host.size() > 200 || host.find_first_of(" /\\\"<>") != std::string::npos) host = "127.0.0.1:8080";
  return (req.header("x-forwarded-proto") == "https" ? "https://" : "http://") + host;
}
bool test_clock_enabled = false;
}  // namespace

void enable_test_clock(bool on) { test_clock_enabled = on; }

void add_permit_routes(std::vector<Route>& out) {
  const std::vector<Field> permit = {
      {"venueId", F::Integer},        {"place", F::String},           {"indoor", F::Boolean},
      {"indoorReason", F::String},    {"content", F::String},         {"method", F::String},
      {"level", F::String},           {"plannedStart", F::String},    {"plannedEnd", F::String},
      {"unitId", F::Integer},         {"jobLeaderId", F::Integer},    {"fireWatchId", F::Integer},
      {"approverUserId", F::Integer}, {"workers", F::ObjectList},     {"machineIds", F::IntList},
      {"riskIdentification", F::String}, {"riskAssessment", F::String}, {"controls", F::ObjectList},
      {"fireSeparation", F::Boolean}, {"windForce", F::Integer},      {"gasRequired", F::Boolean},
      {"photosBefore", F::StringList}, {"workRequestId", F::Integer}};
  out.push_back({"GET", "/api/permits", Guard::Permission, "permit:read", {},
                 [](Context& c) { return Reply::json_text(app::list_permits(c.db, c.caller(), c.req.query)); }, false, "动火作业证列表"});
  out.push_back({"GET", "/api/permits/count", Guard::Permission, "permit:read", {},
                 [](Context& c) { return Reply::json_text(app::count_permits(c.db, c.caller(), c.req.query)); }, false, "动火作业证计数"});
  out.push_back({"GET", "/api/permits/board", Guard::Permission, "permit:read", {},
                 [](Context& c) { return Reply::json_text(app::permit_board(c.db, c.caller(), c.req.query)); }, false, "今日动火看板"});
  out.push_back({"GET", "/api/permits/board/counts", Guard::Permission, "permit:read", {},
                 [](Context& c) { return ok(app::permit_board_counts(c.db, c.caller(), c.req.query)); }, false, "今日动火看板各列数量"});
  out.push_back({"GET", "/api/permits/:id", Guard::Permission, "permit:read", {},
                 [](Context& c) { return Reply::json_text(app::get_permit(c.db, c.caller(), c.req.id())); }, false, "动火作业证详情"});
  out.push_back({"POST", "/api/permits", Guard::Permission, "permit:apply", permit,
                 [](Context& c) { return Reply::json_text(app::create_permit(c.db, c.caller(), c.body), 201); }, false,
                 "新建动火作业证（草稿）"});
  out.push_back({"PUT", "/api/permits/:id", Guard::Permission, "permit:apply", permit,
                 [](Context& c) { return Reply::json_text(app::update_permit(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改草稿"});

  struct CommandRoute {
    const char* name;
    const char* permission;
    std::vector<Field> body;
    const char* summary;
  };
  const std::vector<Field> photos = {{"photos", F::StringList}};
  // The steps the paper permit has signed (勘察、风险确认、签发、签到、巡查、验收) may carry a handwritten signature.
  const Field sig{"signature", F::String};
  const CommandRoute commands[] = {
      {"submit", "permit:apply", {}, "提交申请"},
      {"survey", "permit:approve", {{"lat", F::Number}, {"lng", F::Number}, {"photos", F::StringList}, {"note", F::String}, sig}, "审批人现场勘察"},
      {"confirm-risk", "permit:apply", {{"measures", F::ObjectList}, {"note", F::String}, sig}, "作业负责人确认风险"},
      {"approve", "permit:approve", {{"note", F::String}, sig}, "批准"},
      {"reject", "permit:approve", {{"reason", F::String}}, "退回"},
      {"check-in", "permit:read", {{"personId", F::Integer}, {"lat", F::Number}, {"lng", F::Number}, sig}, "现场签到"},
      {"gas-analyses", "permit:read",
       {{"sampledAt", F::String}, {"gas", F::String}, {"lelPercent", F::Number}, {"resultPercent", F::Number}, {"analyst", F::String}},
       "记录气体分析"},
      {"start", "permit:apply", {}, "开始作业"},
      {"suspend", "permit:read", {{"reason", F::String}}, "暂停作业"},
      {"resume", "permit:read", {}, "恢复作业"},
      {"finish", "permit:apply", photos, "结束作业"},
      {"rounds", "permit:watch",
       {{"result", F::String}, {"note", F::String}, {"photos", F::StringList}, {"lat", F::Number}, {"lng", F::Number}, sig},
       "作业后监护巡查"},
      {"close", "permit:watch", {{"siteClear", F::Boolean}, {"photos", F::StringList}, sig}, "关闭（人走场清）"},
      {"cancel", "permit:read", {{"reason", F::String}}, "取消（申请人；已批准时审批人也可）"},
      {"revoke", "permit:revoke", {{"reason", F::String}}, "撤销（监管）"},
  };
  for (const auto& cmd : commands) {
    std::string name = cmd.name;
    out.push_back({"POST", "/api/permits/:id/" + name, Guard::Permission, cmd.permission, cmd.body,
                   [name](Context& c) { return Reply::json_text(app::run_permit_command(c.db, c.caller(), c.req.id(), name, c.body)); },
                   false, cmd.summary});
  }
  out.push_back({"GET", "/api/permits/:id/print", Guard::Permission, "permit:read", {}, [](Context& c) {
                   return html(app::permit_print_html(c.db, c.caller(), c.req.id(), base_url(c.req), false));
                 }, false, "打印动火作业证"});
  out.push_back({"GET", "/api/permits/:id/notice", Guard::Permission, "permit:read", {}, [](Context& c) {
                   return html(app::permit_print_html(c.db, c.caller(), c.req.id(), base_url(c.req), true));
                 }, false, "打印动火公告"});
  out.push_back({"GET", "/api/measure-templates", Guard::Permission, "permit:read", {},
                 [](Context& c) { return ok(app::measure_templates(c.db)); }, false, "安全措施模板"});
  out.push_back({"PUT", "/api/measure-templates", Guard::Permission, "rule:write", {{"items", F::ObjectList}},
                 [](Context& c) { return ok(app::replace_measure_templates(c.db, c.caller(), c.body)); }, false,
                 "修改安全措施模板"});
  out.push_back({"GET", "/api/public/permits/:token", Guard::Public, "", {}, [](Context& c) {
                   auto p = app::public_permit(c.db, c.req.params.at("token"));
                   if (!p) throw not_found();
                   return ok(*p);
                 }, false, "动火作业证公开核验（一证一码）"});

  out.push_back({"GET", "/p/:token", Guard::Public, "", {}, [](Context& c) {
                   auto p = app::public_permit(c.db, c.req.params.at("token"));
                   std::string body =
                       "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                       "content=\"width=device-width,initial-scale=1\"><title>动火作业证核验</title><style>body{font-family:"
                       "'Noto Sans CJK SC',sans-serif;margin:0;background:#f5f6f8;color:#222}.card{background:#fff;margin:16px;"
                       "padding:20px;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.08)}h1{font-size:20px;margin:0 0 12px}"
                       ".ok{color:#1a7f37;font-size:22px;font-weight:700}.bad{color:#c62828;font-size:22px;font-weight:700}"
                       "dt{color:#777;font-size:13px;margin-top:10px}dd{margin:2px 0 0;font-size:16px}</style></head><body><div class=\"card\">";
                   if (!p) {
                     body += "<h1>动火作业证核验</h1><p class=\"bad\">未找到该动火作业证</p><p>请确认二维码来自正规张贴的动火作业证或动火公告；"
                             "如发现违规动火，请拨打 119 或 12345 举报。</p>";
                   } else {
                     auto t = [](const json& iso) {
                       auto tp = clock::parse_iso(iso.get<std::string>());
                       return clock::local_date(*tp) + " " + clock::local_hhmm(*tp);
                     };
                     auto esc = [](std::string s) {
                       std::string o;
                       for (char ch : s) o += ch == '<' ? "&lt;" : ch == '>' ? "&gt;" : ch == '&' ? "&amp;" : std::string(1, ch);
                       return o;
                     };
                     body += "<h1>动火作业证核验</h1><p class=\"" + std::string((*p)["valid"].get<bool>() ? "ok\">有效" : "bad\">无效") +
                             "</p><dl><dt>编号</dt><dd>" + esc((*p)["number"]) + "</dd><dt>场所</dt><dd>" + esc((*p)["venue"]) +
                             "</dd><dt>动火部位</dt><dd>" + esc((*p)["place"]) + "</dd><dt>作业时间</dt><dd>" + t((*p)["plannedStart"]) +
                             " 至 " + t((*p)["plannedEnd"]) + "</dd><dt>级别</dt><dd>" + esc((*p)["levelLabel"]) + "动火</dd><dt>状态</dt><dd>" +
                             esc((*p)["stateLabel"]) + "</dd></dl><p style=\"color:#777;font-size:13px\">发现与本证不符的动火作业，请拨打 119 或 12345 举报。</p>";
                   }
                   Reply r = html(body + "</div></body></html>");
                   if (!p) r.status = 404;
                   return r;
                 }, false, "动火作业证公开页（一证一码）"});

  out.push_back({"POST", "/api/files", Guard::Session, "", {}, [](Context& c) {
                   return Reply::json_body(app::store_file(c.db, c.caller(), c.req.header("content-type"), c.req.body), 201);
                 }, false, "上传照片", app::kMaxUpload});
  out.push_back({"GET", "/api/files/:id", Guard::Session, "", {}, [](Context& c) {
                   auto f = app::load_file(c.db, c.req.params.at("id"));
                   if (!f) throw not_found();
                   Reply r;
                   r.content_type = f->content_type;
                   r.body = std::move(f->bytes);
                   r.headers.emplace_back("Cache-Control", "private, max-age=86400");
                   return r;
                 }, false, "下载照片"});

  out.push_back({"GET", "/api/alerts", Guard::Permission, "alert:read", {},
                 [](Context& c) { return ok(app::list_alerts(c.db, c.caller(), c.req.query)); }, false, "预警列表"});
  out.push_back({"POST", "/api/alerts/:id/acknowledge", Guard::Permission, "alert:handle", {},
                 [](Context& c) { return ok(app::acknowledge_alert(c.db, c.caller(), c.req.id())); }, false, "确认预警"});
  out.push_back({"POST", "/api/alerts/:id/handle", Guard::Permission, "alert:handle",
                 {{"result", F::String}, {"falseAlarm", F::Boolean}, {"photos", F::StringList}},
                 [](Context& c) { return ok(app::handle_alert(c.db, c.caller(), c.req.id(), c.body)); }, false, "处置预警"});
  // An EventSource (Accept: text/event-stream) gets a live stream, replayed from
  // Last-Event-ID; any other client gets the changes since ?since= as JSON.
  out.push_back({"GET", "/api/alerts/stream", Guard::Permission, "alert:read", {}, [](Context& c) {
                   std::string since = c.req.header("last-event-id");
                   if (since.empty()) since = app::query_str(c.req.query, "since", 40).value_or("");
                   if (!since.empty()) {
                     auto at = clock::parse_iso(since);
                     if (!at) throw bad_request("INVALID_VALUE", "since 应为 ISO 时间，如 2026-11-22T08:00:00Z", "since");
                     since = clock::iso_utc(*at);  // stored times are UTC text: compare like with like
                   }
                   if (c.req.header("accept").find("text/event-stream") != std::string::npos) {
                     Reply r;
                     r.content_type = "text/event-stream; charset=utf-8";
                     r.alert_feed = Reply::AlertFeed{c.caller(), since};
                     return r;
                   }
                   if (since.empty()) since = clock::iso_utc(clock::now() - std::chrono::minutes(1));
                   json items = c.db.read([&](store::Conn& conn) { return app::alert_changes(conn, c.caller(), since); });
                   std::string cursor = items.empty() ? since : items.back()["updatedAt"].get<std::string>();
                   return ok(json{{"items", items}, {"cursor", cursor}});
                 }, false, "预警实时推送（SSE）/ 变化查询"});
  out.push_back({"GET", "/api/map", Guard::Permission, "alert:read", {},
                 [](Context& c) { return ok(app::town_map(c.db, c.caller(), c.req.query)); }, false, "预警地图（场所与焊机位置）"});

  // 小型工程备案: small projects with hot work, filed with the town before work starts.
  const std::vector<Field> filing = {
      {"venueId", F::Integer},      {"unitId", F::Integer},       {"orgUnitId", F::Integer},     {"name", F::String},
      {"kind", F::String},          {"location", F::String},      {"investment", F::Number},     {"area", F::Number},
      {"plannedStart", F::String},  {"plannedEnd", F::String},    {"hotWorkMethods", F::StringList},
      {"fireMeasures", F::String},  {"siteManager", F::String},   {"sitePhone", F::String}};
  out.push_back({"GET", "/api/lookups/departments", Guard::Session, "", {}, [](Context& c) {
                   if (!c.caller().has("project:file") && !c.caller().has("org:read")) throw forbidden();
                   return ok(app::department_lookup(c.db));
                 }, false, "受理部门选择（镇属部门）"});
  out.push_back({"GET", "/api/small-projects", Guard::Permission, "project:read", {},
                 [](Context& c) { return ok(app::list_small_projects(c.db, c.caller(), c.req.query)); }, false,
                 "小型工程备案列表"});
  out.push_back({"GET", "/api/small-projects/:id", Guard::Permission, "project:read", {},
                 [](Context& c) { return ok(app::get_small_project(c.db, c.caller(), c.req.id())); }, false,
                 "小型工程备案详情（含办理记录和同期动火作业证）"});
  out.push_back({"POST", "/api/small-projects", Guard::Permission, "project:file", filing,
                 [](Context& c) { return Reply::json_body(app::file_small_project(c.db, c.caller(), c.body), 201); }, false,
                 "填报小型工程备案"});
  out.push_back({"PUT", "/api/small-projects/:id", Guard::Permission, "project:file", filing,
                 [](Context& c) { return ok(app::refile_small_project(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "修改并重新提交备案（待受理或退回补正时）"});
  const std::vector<std::tuple<const char*, const char*, std::vector<Field>, const char*>> project_commands = {
      {"accept", "project:review", {{"note", F::String}}, "受理备案"},
      {"return", "project:review", {{"reason", F::String}}, "退回补正"},
      {"guide", "project:review", {{"note", F::String}, {"unannounced", F::Boolean}}, "记录安全指导或暗访检查"},
      {"finish", "project:read", {{"note", F::String}}, "完工销项（填报人或受理部门）"},
  };
  for (const auto& [name, permission, body, summary] : project_commands) {
    std::string command = name;
    out.push_back({"POST", "/api/small-projects/:id/" + command, Guard::Permission, permission, body, [command](Context& c) {
                     return ok(app::run_small_project_command(c.db, c.caller(), c.req.id(), command, c.body));
                   }, false, summary});
  }

  // 动火作业供需对接: venues post hot work, units answer with certified workers, the venue awards one.
  out.push_back({"GET", "/api/market/requests", Guard::Permission, "market:read", {},
                 [](Context& c) { return ok(app::list_work_requests(c.db, c.caller(), c.req.query)); }, false, "动火作业需求列表"});
  out.push_back({"GET", "/api/market/requests/:id", Guard::Permission, "market:read", {},
                 [](Context& c) { return ok(app::get_work_request(c.db, c.caller(), c.req.id())); }, false,
                 "动火作业需求详情（含可见的应征）"});
  out.push_back({"POST", "/api/market/requests", Guard::Permission, "market:post",
                 {{"venueId", F::Integer}, {"title", F::String}, {"description", F::String}, {"place", F::String},
                  {"methods", F::StringList}, {"windowStart", F::String}, {"windowEnd", F::String}, {"workersNeeded", F::Integer},
                  {"budget", F::Number}, {"contactName", F::String}, {"contactPhone", F::String}},
                 [](Context& c) { return Reply::json_body(app::post_work_request(c.db, c.caller(), c.body), 201); }, false,
                 "发布动火作业需求"});
  for (const auto& [name, body, summary] : std::vector<std::tuple<const char*, std::vector<Field>, const char*>>{
           {"done", {{"note", F::String}, {"rating", F::Integer}}, "确认需求已完成（可评价承接单位）"},
           {"rate", {{"rating", F::Integer}}, "评价已完成需求的承接单位（一次）"},
           {"cancel", {{"reason", F::String}}, "撤销需求"}}) {
    std::string command = name;
    out.push_back({"POST", "/api/market/requests/:id/" + command, Guard::Permission, "market:post", body, [command](Context& c) {
                     return ok(app::run_work_request_command(c.db, c.caller(), c.req.id(), command, c.body));
                   }, false, summary});
  }
  out.push_back({"POST", "/api/market/requests/:id/offers", Guard::Permission, "market:offer",
                 {{"unitId", F::Integer}, {"peopleIds", F::IntList}, {"price", F::Number}, {"note", F::String}},
                 [](Context& c) { return ok(app::submit_work_offer(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "应征动火作业需求（拟派持证人员）"});
  for (const auto& [name, permission, summary] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"accept", "market:post", "选定承接单位"}, {"withdraw", "market:offer", "撤回应征"}}) {
    std::string command = name;
    out.push_back({"POST", "/api/market/offers/:id/" + command, Guard::Permission, permission, {}, [command](Context& c) {
                     return ok(app::run_work_offer_command(c.db, c.caller(), c.req.id(), command));
                   }, false, summary});
  }
  out.push_back({"GET", "/api/market/providers", Guard::Permission, "market:read", {},
                 [](Context& c) { return ok(app::list_providers(c.db, c.req.query)); }, false,
                 "持证施工单位名录（供方）"});

  out.push_back({"POST", "/api/devices/messages", Guard::Public, "", {{"messages", F::ObjectList}},
                 [](Context& c) { return ok(app::ingest_batch(c.db, c.body)); }, false,
                 "设备消息批量上报（HTTP，逐条签名）"});
  out.push_back({"POST", "/api/machines/scan", Guard::Permission, "permit:read",
                 {{"code", F::String}, {"lat", F::Number}, {"lng", F::Number}, {"accuracyM", F::Number}},
                 [](Context& c) { return ok(app::scan_to_start(c.db, c.caller(), c.body)); }, false, "扫码开机"});
  out.push_back({"POST", "/api/machines/:id/secret", Guard::Permission, "machine:write", {},
                 [](Context& c) { return ok(app::issue_device_secret(c.db, c.caller(), c.req.id())); }, false,
                 "签发焊机芯片密钥（仅显示一次）"});

  // Test support: move the server's clock (only with `serve --test-clock`) and run the timers now.
  out.push_back({"POST", "/api/test/clock", Guard::Permission, "rule:write", {{"offsetSeconds", F::Integer}}, [](Context& c) {
                   if (!test_clock_enabled) throw not_found();
                   app::Input in(c.body);
                   long long offset = in.integer("offsetSeconds", "时钟偏移秒数", -10LL * 365 * 86400, 10LL * 365 * 86400);
                   clock::set_offset(std::chrono::seconds(offset));
                   int changes = jobs::run_timers(c.db);
                   return ok({{"now", clock::iso_utc(clock::now())}, {"timerChanges", changes}});
                 }, false, "测试：调整服务器时钟并运行定时任务"});
}

}  // namespace huoyan::http
