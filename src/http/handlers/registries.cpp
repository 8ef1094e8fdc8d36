#include "app/audit.h"
#include "app/qr.h"
#include "app/registries.h"
#include "app/retrofits.h"
#include "app/rules.h"
#include "domain/errors.h"
#include "http/handlers/handlers.h"

namespace huoyan::http {

namespace {
using F = FieldType;
Reply ok(const json& j) { return Reply::json_body(j); }
Reply created(const json& j) { return Reply::json_body(j, 201); }
}  // namespace

std::string public_base(const Request& req) {
  std::string host = req.header("host");
  if (host.empty() || host.size() > 200 || host.find_first_of(" /\\\"<>") != std::string::npos) host = "127.0.0.1:8080";
  std::string proto = req.header("x-forwarded-proto") == "https" ? "https" : "http";
  return proto + "://" + host;
}

void add_registry_routes(std::vector<Route>& out) {
  const std::vector<Field> venue = {
      {"name", F::String},          {"type", F::String},           {"crowded", F::Boolean},
      {"entertainment", F::Boolean}, {"address", F::String},       {"orgUnitId", F::Integer},
      {"supervisorOrgUnitIds", F::IntList}, {"lat", F::Number},    {"lng", F::Number},
      {"geofenceRadius", F::Integer}, {"openingHours", F::ObjectList}, {"closedDates", F::StringList},
      {"principalName", F::String}, {"principalPhone", F::String}, {"fireManagerName", F::String},
      {"fireManagerPhone", F::String}, {"managerUserId", F::Integer}};
  out.push_back({"GET", "/api/venues", Guard::Permission, "venue:read", {},
                 [](Context& c) { return ok(app::list_venues(c.db, c.caller(), c.req.query)); }, false, "场所列表"});
  out.push_back({"GET", "/api/lookups/venues", Guard::Session, "", {}, [](Context& c) {
                   if (!c.caller().has("permit:apply") && !c.caller().has("venue:read")) throw forbidden();
                   return ok(app::venue_lookup(c.db, c.req.query));
                 }, false, "场所选择（名称、地址、审批人）"});
  out.push_back({"GET", "/api/lookups/people", Guard::Session, "", {}, [](Context& c) {
                   if (!c.caller().has("permit:apply") && !c.caller().has("person:read")) throw forbidden();
                   return ok(app::people_lookup(c.db, c.req.query));
                 }, false, "人员选择（姓名、单位、是否有账号、证书）"});
  out.push_back({"GET", "/api/venues/:id", Guard::Permission, "venue:read", {},
                 [](Context& c) { return ok(app::get_venue(c.db, c.caller(), c.req.id())); }, false, "场所详情"});
  out.push_back({"POST", "/api/venues", Guard::Permission, "venue:write", venue,
                 [](Context& c) { return created(app::create_venue(c.db, c.caller(), c.body)); }, false, "新增场所"});
  out.push_back({"PUT", "/api/venues/:id", Guard::Permission, "venue:write", venue,
                 [](Context& c) { return ok(app::update_venue(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改场所"});
  out.push_back({"GET", "/api/venues/:id/qr.svg", Guard::Permission, "venue:read", {}, [](Context& c) {
                   json v = app::get_venue(c.db, c.caller(), c.req.id());
                   Reply r;
                   r.content_type = "image/svg+xml";
                   r.body = app::qr_svg(public_base(c.req) + v["publicUrl"].get<std::string>());
                   return r;
                 }, false, "场所二维码"});

  const std::vector<Field> unit = {{"name", F::String}, {"creditCode", F::String}, {"kind", F::String},
                                   {"contactName", F::String}, {"contactPhone", F::String}, {"address", F::String}};
  out.push_back({"GET", "/api/units", Guard::Permission, "unit:read", {},
                 [](Context& c) { return ok(app::list_units(c.db, c.caller(), c.req.query)); }, false, "单位列表"});
  out.push_back({"GET", "/api/units/:id", Guard::Permission, "unit:read", {},
                 [](Context& c) { return ok(app::get_unit(c.db, c.caller(), c.req.id())); }, false, "单位详情"});
  out.push_back({"POST", "/api/units", Guard::Permission, "unit:write", unit,
                 [](Context& c) { return created(app::create_unit(c.db, c.caller(), c.body)); }, false, "新增单位"});
  out.push_back({"PUT", "/api/units/:id", Guard::Permission, "unit:write", unit,
                 [](Context& c) { return ok(app::update_unit(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改单位"});

  const std::vector<Field> person = {{"name", F::String}, {"citizenId", F::String}, {"phone", F::String},
                                     {"unitId", F::Integer}, {"userId", F::Integer}, {"photo", F::String}};
  out.push_back({"GET", "/api/people", Guard::Permission, "person:read", {},
                 [](Context& c) { return ok(app::list_people(c.db, c.caller(), c.req.query)); }, false, "人员列表"});
  out.push_back({"GET", "/api/people/:id", Guard::Permission, "person:read", {},
                 [](Context& c) { return ok(app::get_person(c.db, c.caller(), c.req.id())); }, false, "人员详情"});
  out.push_back({"POST", "/api/people/:id/reveal", Guard::Permission, "person:pii", {{"reason", F::String}},
                 [](Context& c) { return ok(app::reveal_person(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "查看人员完整身份证号和手机号（须说明原因，记审计日志）"});
  out.push_back({"POST", "/api/people", Guard::Permission, "person:write", person,
                 [](Context& c) { return created(app::create_person(c.db, c.caller(), c.body)); }, false, "新增人员"});
  out.push_back({"PUT", "/api/people/:id", Guard::Permission, "person:write", person,
                 [](Context& c) { return ok(app::update_person(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改人员"});

  const std::vector<Field> cert = {{"personId", F::Integer}, {"kind", F::String}, {"number", F::String},
                                   {"issuer", F::String}, {"firstIssued", F::String}, {"validUntil", F::String},
                                   {"nextReview", F::String}, {"status", F::String}};
  out.push_back({"GET", "/api/certificates", Guard::Permission, "person:read", {},
                 [](Context& c) { return ok(app::list_certificates(c.db, c.caller(), c.req.query)); }, false, "证书列表"});
  out.push_back({"GET", "/api/certificates/export.xlsx", Guard::Permission, "person:read", {}, [](Context& c) {
                   Reply r;
                   r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                   r.body = app::export_certificates_xlsx(c.db, c.caller(), c.req.query);
                   app::record_read(c.db, c.caller(), "certificate.export", "certificate", c.req.query);
                   r.headers.emplace_back("Content-Disposition",
                                          "attachment; filename=\"certificates.xlsx\"; filename*=UTF-8''%E8%AF%81%E4%B9%A6%E5%8F%B0%E8%B4%A6.xlsx");
                   return r;
                 }, false, "导出证书台账", 0, true});
  out.push_back({"GET", "/api/certificates/:id", Guard::Permission, "person:read", {},
                 [](Context& c) { return ok(app::get_certificate(c.db, c.caller(), c.req.id())); }, false, "证书详情"});
  out.push_back({"POST", "/api/certificates", Guard::Permission, "person:write", cert,
                 [](Context& c) { return created(app::create_certificate(c.db, c.caller(), c.body)); }, false, "新增证书"});
  out.push_back({"PUT", "/api/certificates/:id", Guard::Permission, "person:write", cert,
                 [](Context& c) { return ok(app::update_certificate(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改证书"});
  out.push_back({"POST", "/api/certificates/:id/verify", Guard::Permission, "person:write",
                 {{"result", F::String}, {"note", F::String}, {"evidence", F::String}},
                 [](Context& c) { return ok(app::verify_certificate(c.db, c.caller(), c.req.id(), c.body)); }, false, "核验证书"});
  out.push_back({"POST", "/api/certificates/import", Guard::Permission, "person:write",
                 {{"csv", F::String}, {"rows", F::ObjectList}, {"mode", F::String}, {"dryRun", F::Boolean}},
                 [](Context& c) { return ok(app::import_certificates(c.db, c.caller(), c.body)); }, false, "批量导入证书"});

  const std::vector<Field> machine = {{"code", F::String}, {"chipId", F::String}, {"unitId", F::Integer},
                                      {"kind", F::String}, {"model", F::String}, {"status", F::String}};
  out.push_back({"GET", "/api/machines", Guard::Permission, "machine:read", {},
                 [](Context& c) { return ok(app::list_machines(c.db, c.caller(), c.req.query)); }, false, "焊机列表"});
  out.push_back({"GET", "/api/machines/:id", Guard::Permission, "machine:read", {},
                 [](Context& c) { return ok(app::get_machine(c.db, c.caller(), c.req.id())); }, false, "焊机详情"});
  out.push_back({"POST", "/api/machines", Guard::Permission, "machine:write", machine,
                 [](Context& c) { return created(app::create_machine(c.db, c.caller(), c.body)); }, false, "新增焊机"});
  out.push_back({"PUT", "/api/machines/:id", Guard::Permission, "machine:write", machine,
                 [](Context& c) { return ok(app::update_machine(c.db, c.caller(), c.req.id(), c.body)); }, false, "修改焊机"});

  out.push_back({"GET", "/api/machines/:id/qr.svg", Guard::Permission, "machine:read", {}, [](Context& c) {
                   json m = app::get_machine(c.db, c.caller(), c.req.id());
                   Reply r;
                   r.content_type = "image/svg+xml";
                   r.body = app::qr_svg(public_base(c.req) + "/m/scan?code=" + m["code"].get<std::string>());
                   return r;
                 }, false, "焊机二维码（扫码开机）"});

  // 存量焊机"加芯赋码"改造: the unit applies, a department approves and grants a subsidy, the unit reports it done,
  // the department pays.
  out.push_back({"GET", "/api/retrofits", Guard::Permission, "retrofit:read", {},
                 [](Context& c) { return ok(app::list_retrofits(c.db, c.caller(), c.req.query)); }, false, "焊机改造申请列表"});
  out.push_back({"GET", "/api/retrofits/export.xlsx", Guard::Permission, "retrofit:read", {}, [](Context& c) {
                   Reply r;
                   r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                   r.body = app::export_retrofits_xlsx(c.db, c.caller(), c.req.query);
                   app::record_read(c.db, c.caller(), "retrofit.export", "machine_retrofit", c.req.query);
                   r.headers.emplace_back("Content-Disposition",
                                          "attachment; filename=\"retrofits.xlsx\"; filename*=UTF-8''%E7%84%8A%E6%9C%BA%E6%94%B9%E9%80%A0%E5%8F%B0%E8%B4%A6.xlsx");
                   return r;
                 }, false, "导出焊机改造台账（.xlsx，最多 10 万行）", 0, true});
  out.push_back({"GET", "/api/retrofits/summary", Guard::Permission, "retrofit:read", {},
                 [](Context& c) { return ok(app::retrofit_summary(c.db, c.caller())); }, false,
                 "焊机加芯赋码进度与补贴统计"});
  out.push_back({"GET", "/api/retrofits/standards", Guard::Permission, "retrofit:read", {},
                 [](Context& c) { return ok(app::get_subsidy_standards(c.db)); }, false, "焊机改造补贴标准"});
  out.push_back({"PUT", "/api/retrofits/standards", Guard::Permission, "rule:write", {{"retrofit", F::Number}, {"tradeIn", F::Number}},
                 [](Context& c) { return ok(app::put_subsidy_standards(c.db, c.caller(), c.body)); }, false, "设置焊机改造补贴标准"});
  out.push_back({"GET", "/api/retrofits/:id", Guard::Permission, "retrofit:read", {},
                 [](Context& c) { return ok(app::get_retrofit(c.db, c.caller(), c.req.id())); }, false, "焊机改造申请详情"});
  out.push_back({"POST", "/api/retrofits", Guard::Permission, "retrofit:apply",
                 {{"machineId", F::Integer}, {"way", F::String}, {"subsidyRequested", F::Number}, {"reason", F::String}},
                 [](Context& c) { return created(app::apply_retrofit(c.db, c.caller(), c.body)); }, false,
                 "申请焊机加芯改造或以旧换新"});
  const std::vector<Field> insurance = {{"insurer", F::String}, {"policyNumber", F::String}, {"insuredUntil", F::String}};
  std::vector<Field> completion = {{"chipId", F::String}, {"code", F::String}, {"kind", F::String}, {"model", F::String}};
  completion.insert(completion.end(), insurance.begin(), insurance.end());
  for (const auto& [name, permission, body, summary] : std::vector<std::tuple<const char*, const char*, std::vector<Field>, const char*>>{
           {"approve", "retrofit:review", {{"subsidyGranted", F::Number}, {"note", F::String}}, "批准焊机改造并核定补贴"},
           {"reject", "retrofit:review", {{"note", F::String}}, "不予批准焊机改造"},
           {"cancel", "retrofit:apply", {{"reason", F::String}}, "撤销焊机改造申请"},
           {"complete", "retrofit:apply", completion, "报告焊机改造完成（芯片编号、新焊机、保险）"},
           {"pay", "retrofit:review", {{"amount", F::Number}, {"paidOn", F::String}, {"paymentRef", F::String}}, "登记改造补贴拨付"}}) {
    std::string command = name;
    out.push_back({"POST", "/api/retrofits/:id/" + command, Guard::Permission, permission, body, [command](Context& c) {
                     return ok(app::run_retrofit_command(c.db, c.caller(), c.req.id(), command, c.body));
                   }, false, summary});
  }
  out.push_back({"GET", "/api/calendar", Guard::Permission, "rule:read", {},
                 [](Context& c) { return ok(app::get_calendar(c.db, c.req.query)); }, false, "节假日与调休"});
  out.push_back({"PUT", "/api/calendar/:year", Guard::Permission, "rule:write", {{"items", F::ObjectList}},
                 [](Context& c) { return ok(app::replace_calendar_year(c.db, c.caller(), c.req.params.at("year"), c.body)); },
                 false, "替换某年节假日"});
  out.push_back({"GET", "/api/key-periods", Guard::Permission, "rule:read", {},
                 [](Context& c) { return ok(app::list_key_periods(c.db)); }, false, "重要节点列表"});
  out.push_back({"POST", "/api/key-periods", Guard::Permission, "rule:write",
                 {{"name", F::String}, {"start", F::String}, {"end", F::String}, {"note", F::String}},
                 [](Context& c) { return created(app::create_key_period(c.db, c.caller(), c.body)); }, false, "新增重要节点"});
  out.push_back({"DELETE", "/api/key-periods/:id", Guard::Permission, "rule:write", {},
                 [](Context& c) { return ok(app::delete_key_period(c.db, c.caller(), c.req.id())); }, false, "删除重要节点"});
  out.push_back({"GET", "/api/rule-settings", Guard::Permission, "rule:read", {},
                 [](Context& c) { return ok(app::get_rule_settings(c.db)); }, false, "动火规则参数"});
  out.push_back({"PUT", "/api/rule-settings", Guard::Permission, "rule:write",
                 {{"maxHoursHigh", F::Integer}, {"maxHoursLevel2", F::Integer}, {"nightStart", F::String},
                  {"nightEnd", F::String}, {"windForceLimit", F::Integer}, {"raiseOnRestDays", F::Boolean},
                  {"raiseAtNight", F::Boolean}, {"raiseInKeyPeriods", F::Boolean}, {"raiseInHighWind", F::Boolean},
                  {"gasMaxAgeMinutes", F::Integer}, {"watchMinutes", F::Integer}, {"roundOffsets", F::IntList},
                  {"roundGraceMinutes", F::Integer}, {"geofenceRadius", F::Integer}, {"checkInBeforeMinutes", F::Integer},
                  {"startBeforeMinutes", F::Integer}, {"signatureSteps", F::StringList}},
                 [](Context& c) { return ok(app::put_rule_settings(c.db, c.caller(), c.body)); }, false, "修改动火规则参数"});
}

}  // namespace huoyan::http
