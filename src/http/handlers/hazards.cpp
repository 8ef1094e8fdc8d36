#include "app/audit.h"
#include "app/campaigns.h"
#include "app/cases.h"
#include "app/hazards.h"
#include "app/inspections.h"
#include "app/meetings.h"
#include "app/files.h"
#include "app/reports.h"
#include "domain/errors.h"
#include "http/handlers/handlers.h"

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
}  // namespace

void add_hazard_routes(std::vector<Route>& out) {
  out.push_back({"GET", "/api/hazard-categories", Guard::Permission, "hazard:read", {},
                 [](Context& c) { return ok(app::hazard_categories(c.db)); }, false, "隐患类别"});
  out.push_back({"GET", "/api/hazards", Guard::Permission, "hazard:read", {},
                 [](Context& c) { return ok(app::list_hazards(c.db, c.caller(), c.req.query)); }, false, "隐患列表"});
  out.push_back({"GET", "/api/hazards/summary", Guard::Permission, "hazard:read", {},
                 [](Context& c) { return ok(app::hazard_summary(c.db, c.caller())); }, false, "问题清单汇总（按状态、岗位、村社区）"});
  out.push_back({"GET", "/api/hazards/export.xlsx", Guard::Permission, "hazard:read", {}, [](Context& c) {
                   Reply r;
                   r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                   r.body = app::export_hazards_xlsx(c.db, c.caller(), c.req.query);
                   app::record_read(c.db, c.caller(), "hazard.export", "hazard", c.req.query);
                   r.headers.emplace_back("Content-Disposition",
                                          "attachment; filename=\"hazards.xlsx\"; filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6.xlsx");
                   return r;
                 }, false, "导出隐患台账", 0, true});
  out.push_back({"GET", "/api/hazards/:id", Guard::Permission, "hazard:read", {},
                 [](Context& c) { return ok(app::get_hazard(c.db, c.caller(), c.req.id())); }, false, "隐患详情"});
  out.push_back({"GET", "/api/hazards/:id/notice", Guard::Permission, "hazard:read", {},
                 [](Context& c) { return html(app::hazard_notice_html(c.db, c.caller(), c.req.id())); }, false, "打印限期改正通知书"});
  out.push_back({"POST", "/api/hazards", Guard::Permission, "hazard:report",
                 {{"venueId", F::Integer}, {"category", F::String}, {"severity", F::String}, {"decisionRecord", F::String},
                  {"description", F::String}, {"location", F::String}, {"photos", F::StringList}, {"source", F::String},
                  {"foundAt", F::String}},
                 [](Context& c) { return Reply::json_body(app::create_hazard(c.db, c.caller(), c.body), 201); }, false, "登记隐患"});

  struct Command {
    const char* name;
    const char* permission;
    std::vector<Field> body;
    const char* summary;
  };
  const std::vector<Command> commands = {
      {"assign", "hazard:assign",
       {{"responsiblePerson", F::String}, {"responsiblePhone", F::String}, {"responsibleUnitId", F::Integer},
        {"supervisorOrgUnitId", F::Integer}, {"deadline", F::String}, {"interimMeasures", F::String}, {"funds", F::Number},
        {"severity", F::String}, {"decisionRecord", F::String}},
       "交办（限期整改）"},
      {"rectify", "hazard:rectify", {{"measures", F::String}, {"photos", F::StringList}, {"signedBy", F::String}, {"signature", F::String}},
       "填报整改（责任人签字）"},
      {"recheck", "hazard:assign", {{"passed", F::Boolean}, {"note", F::String}}, "复查（合格即销号）"},
      {"reopen", "hazard:assign", {{"reason", F::String}}, "重新打开已销号隐患"},
      {"supervise", "hazard:assign", {{"level", F::String}, {"deadline", F::String}, {"note", F::String}}, "挂牌督办"},
      {"unsupervise", "hazard:assign", {{"note", F::String}}, "摘牌销案"},
  };
  for (const auto& cmd : commands) {
    std::string name = cmd.name;
    out.push_back({"POST", "/api/hazards/:id/" + name, Guard::Permission, cmd.permission, cmd.body, [name](Context& c) {
                     return ok(app::run_hazard_command(c.db, c.caller(), c.req.id(), name, c.body));
                   }, false, cmd.summary});
  }

  // Public reports (互联网+举报): no login.
  out.push_back({"GET", "/api/public/venues/:token", Guard::Public, "", {},
                 [](Context& c) { return ok(app::public_venue(c.db, c.req.params.at("token"))); }, false, "举报页的场所（扫码）"});
  out.push_back({"POST", "/api/public/files", Guard::Public, "", {}, [](Context& c) {
                   return Reply::json_body(app::public_upload(c.db, c.req.remote_ip, c.req.header("content-type"), c.req.body), 201);
                 }, false, "举报照片上传", app::kMaxUpload});
  out.push_back({"POST", "/api/public/reports", Guard::Public, "",
                 {{"venueToken", F::String}, {"venueName", F::String}, {"category", F::String}, {"description", F::String},
                  {"photos", F::StringList}, {"lat", F::Number}, {"lng", F::Number}, {"phone", F::String}, {"deviceId", F::String}},
                 [](Context& c) { return Reply::json_body(app::submit_public_report(c.db, c.req.remote_ip, c.body), 201); }, false,
                 "提交举报（可匿名）"});
  out.push_back({"GET", "/api/public/reports/:code", Guard::Public, "", {}, [](Context& c) {
                   auto r = app::public_report_status(c.db, c.req.params.at("code"));
                   if (!r) throw not_found();
                   return ok(*r);
                 }, false, "按查询码查看举报进度"});

  out.push_back({"GET", "/api/reports", Guard::Permission, "report:triage", {},
                 [](Context& c) { return ok(app::list_reports(c.db, c.caller(), c.req.query)); }, false, "群众举报列表"});
  out.push_back({"GET", "/api/reports/:id", Guard::Permission, "report:triage", {},
                 [](Context& c) { return ok(app::get_report(c.db, c.caller(), c.req.id())); }, false, "群众举报详情（含疑似重复）"});
  const std::vector<Command> report_commands = {
      {"accept", "report:triage", {{"severity", F::String}, {"decisionRecord", F::String}, {"description", F::String}}, "举报属实，转为隐患"},
      {"reject", "report:triage", {{"reason", F::String}}, "不予受理"},
      {"reward", "report:triage", {{"amount", F::Number}, {"note", F::String}}, "登记举报奖励"},
  };
  for (const auto& cmd : report_commands) {
    std::string name = cmd.name;
    out.push_back({"POST", "/api/reports/:id/" + name, Guard::Permission, cmd.permission, cmd.body, [name](Context& c) {
                     return ok(app::run_report_command(c.db, c.caller(), c.req.id(), name, c.body));
                   }, false, cmd.summary});
  }
  // Inspections, patrols and 双随机 draws.
  out.push_back({"GET", "/api/checklist-templates", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::checklist_templates(c.db)); }, false, "检查表模板"});
  out.push_back({"PUT", "/api/checklist-templates/:venueType", Guard::Permission, "rule:write", {{"items", F::ObjectList}},
                 [](Context& c) {
                   return ok(app::replace_checklist_template(c.db, c.caller(), c.req.params.at("venueType"), c.body));
                 }, false, "修改某类场所的检查表"});
  out.push_back({"GET", "/api/inspections", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::list_inspections(c.db, c.caller(), c.req.query)); }, false, "检查列表"});
  out.push_back({"GET", "/api/inspections/:id", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::get_inspection(c.db, c.caller(), c.req.id())); }, false, "检查详情"});
  out.push_back({"POST", "/api/inspections", Guard::Permission, "inspection:write",
                 {{"venueId", F::Integer}, {"kind", F::String}, {"plannedOn", F::String}, {"inspectorIds", F::IntList},
                  {"unannounced", F::Boolean}},
                 [](Context& c) { return Reply::json_body(app::plan_inspection(c.db, c.caller(), c.body), 201); }, false,
                 "计划检查（不少于 2 名检查人员）"});
  const std::vector<Field> recording = {{"results", F::ObjectList}, {"findings", F::ObjectList}, {"summary", F::String},
                                        {"lat", F::Number}, {"lng", F::Number}};
  out.push_back({"POST", "/api/inspections/:id/record", Guard::Permission, "inspection:write", recording,
                 [](Context& c) { return ok(app::record_inspection(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "记录检查结果（发现问题即登记隐患）"});
  std::vector<Field> patrol = recording;
  patrol.push_back({"venueId", F::Integer});
  out.push_back({"POST", "/api/patrols", Guard::Permission, "inspection:write", patrol,
                 [](Context& c) { return Reply::json_body(app::record_patrol(c.db, c.caller(), c.body), 201); }, false, "网格巡查记录"});
  out.push_back({"GET", "/api/draws", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::list_draws(c.db, c.req.query)); }, false, "双随机抽查列表"});
  out.push_back({"GET", "/api/draws/:id", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::get_draw(c.db, c.req.id())); }, false, "双随机抽查详情（含输入）"});
  out.push_back({"GET", "/api/draws/:id/verify", Guard::Permission, "inspection:read", {},
                 [](Context& c) { return ok(app::verify_draw(c.db, c.req.id())); }, false, "按存档种子重新抽取并比对"});
  out.push_back({"POST", "/api/draws", Guard::Permission, "draw:write",
                 {{"name", F::String}, {"venueCount", F::Integer}, {"inspectorsPerVenue", F::Integer}, {"keyPercent", F::Integer},
                  {"plannedOn", F::String}, {"seed", F::String}, {"venueTypes", F::StringList}, {"inspectorIds", F::IntList},
                  {"conflicts", F::ObjectList}},
                 [](Context& c) { return Reply::json_body(app::create_draw(c.db, c.caller(), c.body), 201); }, false,
                 "双随机抽取（生成检查计划）"});
  out.push_back({"POST", "/api/draws/:id/publish", Guard::Permission, "draw:write", {},
                 [](Context& c) { return ok(app::publish_draw(c.db, c.caller(), c.req.id())); }, false, "公开抽查结果"});
  out.push_back({"GET", "/api/public/draws", Guard::Public, "", {},
                 [](Context& c) { return ok(app::public_draws(c.db)); }, false, "已公开的双随机抽查结果"});

  // Enforcement: cases (一案双罚, 移交), exposure (警示曝光), credit marks (失信联合惩戒).
  out.push_back({"GET", "/api/cases", Guard::Permission, "case:read", {},
                 [](Context& c) { return ok(app::list_cases(c.db, c.caller(), c.req.query)); }, false, "执法案件列表"});
  out.push_back({"GET", "/api/cases/:id", Guard::Permission, "case:read", {},
                 [](Context& c) { return ok(app::get_case(c.db, c.caller(), c.req.id())); }, false, "执法案件详情"});
  out.push_back({"POST", "/api/cases", Guard::Permission, "case:write",
                 {{"sourceType", F::String}, {"sourceId", F::Integer}, {"venueId", F::Integer}, {"unitId", F::Integer},
                  {"partyName", F::String}, {"responsiblePersons", F::ObjectList}, {"title", F::String}, {"facts", F::String},
                  {"legalBasis", F::String}},
                 [](Context& c) { return Reply::json_body(app::open_case(c.db, c.caller(), c.body), 201); }, false,
                 "立案（来自隐患、举报或预警）"});
  const std::vector<Command> case_commands = {
      {"penalize", "case:write",
       {{"decisionNumber", F::String}, {"decidedOn", F::String}, {"unitPenalty", F::Object}, {"personPenalties", F::ObjectList}},
       "处罚决定（一案双罚）"},
      {"refer", "case:write", {{"department", F::String}, {"note", F::String}}, "移交执法部门"},
      {"referral", "case:write", {{"status", F::String}, {"result", F::String}}, "登记移交办理情况"},
      {"close", "case:write", {{"note", F::String}}, "结案"},
      {"expose", "case:write", {{"title", F::String}, {"summary", F::String}}, "警示曝光（自动去除个人信息）"},
  };
  for (const auto& cmd : case_commands) {
    std::string name = cmd.name;
    out.push_back({"POST", "/api/cases/:id/" + name, Guard::Permission, cmd.permission, cmd.body, [name](Context& c) {
                     return ok(app::run_case_command(c.db, c.caller(), c.req.id(), name, c.body));
                   }, false, cmd.summary});
  }
  out.push_back({"POST", "/api/exposures/:id/withdraw", Guard::Permission, "case:write", {},
                 [](Context& c) { return ok(app::withdraw_exposure(c.db, c.caller(), c.req.id())); }, false, "撤下曝光"});
  out.push_back({"GET", "/api/public/exposures", Guard::Public, "", {},
                 [](Context& c) { return ok(app::public_exposures(c.db)); }, false, "曝光台（公开）"});
  out.push_back({"GET", "/api/credit-marks", Guard::Permission, "case:read", {},
                 [](Context& c) { return ok(app::list_credit_marks(c.db, c.req.query)); }, false, "失信联合惩戒名单"});
  out.push_back({"POST", "/api/units/:id/credit-marks", Guard::Permission, "case:write", {{"reason", F::String}, {"caseId", F::Integer}},
                 [](Context& c) { return Reply::json_body(app::mark_credit(c.db, c.caller(), c.req.id(), c.body), 201); }, false,
                 "纳入失信联合惩戒"});
  out.push_back({"POST", "/api/credit-marks/:id/lift", Guard::Permission, "case:write", {{"reason", F::String}},
                 [](Context& c) { return ok(app::lift_credit_mark(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "移出失信名单（信用修复）"});

  // 培训、警示教育、约谈与调度会商: records of what departments and villages hold with those they supervise.
  const std::vector<Field> meeting = {
      {"kind", F::String},   {"title", F::String},      {"orgUnitId", F::Integer}, {"heldOn", F::String},   {"place", F::String},
      {"content", F::String}, {"headcount", F::Integer}, {"venueIds", F::IntList},  {"unitIds", F::IntList}, {"personIds", F::IntList}};
  out.push_back({"GET", "/api/meetings", Guard::Permission, "meeting:read", {},
                 [](Context& c) { return ok(app::list_meetings(c.db, c.caller(), c.req.query)); }, false,
                 "培训、警示教育与约谈记录列表"});
  out.push_back({"GET", "/api/meetings/summary", Guard::Permission, "meeting:read", {},
                 [](Context& c) { return ok(app::meeting_summary(c.db, c.caller(), c.req.query)); }, false,
                 "按组织单位和类型统计次数与人数"});
  out.push_back({"GET", "/api/meetings/:id", Guard::Permission, "meeting:read", {},
                 [](Context& c) { return ok(app::get_meeting(c.db, c.caller(), c.req.id())); }, false, "记录详情（含参加的场所、单位和人员）"});
  out.push_back({"POST", "/api/meetings", Guard::Permission, "meeting:write", meeting,
                 [](Context& c) { return Reply::json_body(app::create_meeting(c.db, c.caller(), c.body), 201); }, false,
                 "记录培训、警示教育、约谈或调度会商"});
  out.push_back({"PUT", "/api/meetings/:id", Guard::Permission, "meeting:write", meeting,
                 [](Context& c) { return ok(app::update_meeting(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "修改记录（记录人）"});

  // 专项行动: campaigns with key tasks, led and reported on by departments.
  out.push_back({"GET", "/api/campaigns", Guard::Permission, "campaign:read", {},
                 [](Context& c) { return ok(app::list_campaigns(c.db)); }, false, "专项行动列表"});
  out.push_back({"GET", "/api/campaigns/:id", Guard::Permission, "campaign:read", {},
                 [](Context& c) { return ok(app::get_campaign(c.db, c.req.id())); }, false, "专项行动详情（重点任务进展与隐患统计）"});
  out.push_back({"POST", "/api/campaigns", Guard::Permission, "campaign:write",
                 {{"name", F::String}, {"goal", F::String}, {"startsOn", F::String}, {"endsOn", F::String}, {"phases", F::ObjectList},
                  {"tasks", F::ObjectList}},
                 [](Context& c) { return Reply::json_body(app::create_campaign(c.db, c.caller(), c.body), 201); }, false,
                 "部署专项行动（阶段、重点任务、牵头和配合部门）"});
  out.push_back({"GET", "/api/campaign-tasks/:id/reports", Guard::Permission, "campaign:read", {},
                 [](Context& c) { return ok(app::list_task_reports(c.db, c.req.id())); }, false, "重点任务的进展报送"});
  out.push_back({"POST", "/api/campaign-tasks/:id/reports", Guard::Permission, "campaign:report",
                 {{"content", F::String}, {"venuesChecked", F::Integer}, {"hazardsFound", F::Integer}, {"hazardsFixed", F::Integer}},
                 [](Context& c) { return Reply::json_body(app::report_task(c.db, c.caller(), c.req.id(), c.body), 201); }, false,
                 "报送重点任务进展（牵头或配合部门）"});
  out.push_back({"POST", "/api/campaign-tasks/:id/complete", Guard::Permission, "campaign:report", {{"summary", F::String}},
                 [](Context& c) { return ok(app::complete_task(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "确认重点任务完成（牵头部门）"});

  out.push_back({"GET", "/api/venues/:id/report-poster", Guard::Permission, "venue:read", {}, [](Context& c) {
                   return html(app::report_poster_html(c.db, c.caller(), c.req.id(), public_base(c.req)));
                 }, false, "打印举报二维码海报"});
}

}  // namespace huoyan::http
