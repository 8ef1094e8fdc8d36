// The demo town's hazards in every state and its public reports, written the
// way the commands would have left them (timeline, notice numbers, alerts).
#include <map>
#include <set>
#include <tuple>

#include "app/alerts.h"
#include "app/bootstrap.h"
#include "app/campaigns.h"
#include "app/cases.h"
#include "app/hazards.h"
#include "app/inspections.h"
#include "app/market.h"
#include "app/meetings.h"
#include "app/personal_data.h"
#include "app/retrofits.h"
#include "app/rules.h"
#include "app/small_projects.h"
#include "domain/clock.h"
#include "domain/hazard.h"

namespace huoyan::app {

namespace {

// Two plain 160×120 PNGs standing in for site photos: before (grey) and after (green).
const char* kBeforePng =
    "iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAAz0lEQVR42u3RQQ0AAAgDsflXgwJ++MLH0uQUXDN7Ki4WABZgARZgARZgAQYswAIswAIswAIMWIAFWIAFWIAFWIABC7AAC7AAC7AAAxZgARZgARZgAQYswAIswAIswAIswIAFWIAFWIAFWIABC7AAC7AAC7AAA3YBsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAAizAAizAAgxYgAVYgAVYgAUYsAvNPXx7+p2uQlx7AAAAAElFTkSuQmCC";
const char* kAfterPng =
    "iVBORw0KGgoAAAANSUhEUgAAAKAAAAB4CAIAAAD6wG44AAAAzklEQVR42u3RAQkAAAzDsFk/3Ntt3ccIVEGTuVVxsQCwAAuwAAuwAAswYAEWYAEWYAEWYMACLMACLMACLMACDFiABViABViABRiwAAuwAAuwAAswYAEWYAEWYAEWYAEGLMACLMACLMACDFiABViABViABRiwC4AFWIAFWIAFWIABC7AAC7AAC7AAAxZgARZgARZgARZgwAIswAIswAIswIAFWIAFWIAFWIABC7AAC7AAC7AACzBgARZgARZgARZgwAIswAIswAIswIBdaO4BV2bL220SFogAAAAASUVORK5CYII=";

std::string add_photo(store::Conn& c, const std::string& id, const char* b64) {
  c.exec("INSERT INTO files (id, sha256, content_type, size, data, created_at) VALUES (?, ?, 'image/png', ?, ?, ?)",
         {id, id, static_cast<long long>(std::string(b64).size() * 3 / 4), std::string(b64), clock::iso_utc(clock::now())});
  return id;
}

access::Caller user_caller(store::Conn& c, const std::string& username) {
  auto u = c.row("SELECT id, name FROM users WHERE username = ?", {username});
  access::Caller who;
  who.user_id = store::as_id((*u)["id"]);
  who.username = username;
  who.name = (*u)["name"];
  return who;
}

void event(store::Conn& c, long long id, const std::string& at, const std::string& action, const access::Caller& by,
           const std::string& note) {
  c.insert("INSERT INTO hazard_events (hazard_id, at, action, user_id, by_name, note) VALUES (?, ?, ?, ?, ?, ?)",
           {id, at, action, by.user_id ? store::Value(by.user_id) : store::Value(nullptr), by.name, note});
}

struct DemoHazard {
  const char* venue;
  const char* category;
  const char* source;
  const char* finder;   // username
  int found_days_ago;
  const char* description;
  const char* location;
  const char* state;    // reported | rectifying | overdue | awaiting_recheck | recheck_failed | closed
  const char* responsible;
  const char* decision; // makes it 重大
  const char* supervision;  // 挂牌督办 level, or nullptr
};

}  // namespace

void load_demo_hazards(store::Conn& c) {
  std::string before = add_photo(c, "demo-hazard-before", kBeforePng);
  std::string after = add_photo(c, "demo-hazard-after", kAfterPng);
  permit::Calendar cal = load_calendar(c);
  access::Caller officer = user_caller(c, "sw_officer"), inspector = user_caller(c, "inspector");
  const DemoHazard hazards[] = {
      {"金凤农贸市场", "ebike_charging", "patrol", "grid_longfeng", 0, "市场东门雨棚下停放电动自行车 12 辆，其中 3 辆正在飞线充电",
       "东门雨棚", "reported", nullptr, nullptr, nullptr},
      {"金凤商业广场", "blocked_exit", "inspection", "inspector", 2, "二楼东侧疏散通道堆放装修材料，通道净宽不足 1 米", "二楼东侧疏散通道",
       "rectifying", "冯建华", nullptr, nullptr},
      {"金凤老火锅", "wiring", "inspection", "inspector", 12, "后厨插座板串接使用，电线穿越可燃吊顶无穿管保护", "后厨", "overdue",
       "罗晓燕", nullptr, nullptr},
      {"金凤商业广场", "facilities_disabled", "self_check", "venue_mgr", 6, "三楼 4 具灭火器压力不足，1 处消火栓箱被广告牌遮挡",
       "三楼中庭", "awaiting_recheck", "冯建华", nullptr, nullptr},
      {"金凤镇龙凤宾馆", "illegal_hot_work", "inspection", "inspector", 20, "营业期间在三楼走廊进行电焊作业，未办理动火作业证",
       "三楼走廊", "closed", "刘德文", nullptr, nullptr},
      {"金凤星光KTV", "flammable_decoration", "inspection", "inspector", 9,
       "包房墙面大面积使用聚氨酯泡沫吸音材料，疏散走道吊顶使用可燃装饰", "二楼包房区", "recheck_failed", "邓华",
       "2026年11月镇消防安全专班会议集体研究，判定为重大火灾隐患（参加：周建国、李晓梅、王志强、罗勇）", "town"},
      {"金凤镇中心幼儿园", "ebike_charging", "report", "sw_officer", 2, "幼儿园南侧围墙外电动自行车集中停放，有人拉线充电",
       "南侧围墙外", "reported", nullptr, nullptr, nullptr},
      {"金凤中学", "fire_lane_blocked", "patrol", "grid_longfeng", 30, "校门外消防车通道被家长车辆长期占用", "南校门", "closed",
       "钱校长", nullptr, nullptr},
  };
  for (const auto& d : hazards) {
    access::Caller finder = user_caller(c, d.finder);
    auto found = clock::now() - std::chrono::days(d.found_days_ago) - std::chrono::hours(3);
    std::string found_at = clock::iso_utc(found), found_day = clock::local_date(found);
    NewHazard h;
    h.source = d.source;
    h.venue_id = c.scalar("SELECT id FROM venues WHERE name = ?", {std::string(d.venue)});
    h.category = d.category;
    h.description = d.description;
    h.location = d.location;
    h.photos = nlohmann::json::array({before});
    h.found_by = finder.name;
    h.found_at = found_at;
    if (d.decision) {
      h.severity = "major";
      h.decision_record = d.decision;
    }
    long long id = insert_hazard(c, finder, h);
    c.exec("UPDATE hazard_events SET at = ? WHERE hazard_id = ?", {found_at, id});
    c.exec("UPDATE hazards SET created_at = ? WHERE id = ?", {found_at, id});
    std::string state = d.state;
    if (state == "reported") continue;

    // 交办 the next working day after it was found.
    std::string assigned_at = clock::iso_utc(found + std::chrono::hours(20));
    int days = static_cast<int>(c.scalar("SELECT default_days FROM hazard_categories WHERE code = ?", {std::string(d.category)}));
    std::string deadline = hazard::default_deadline(cal, found_day, days, d.decision != nullptr);
    if (state == "overdue") deadline = clock::add_days(clock::today(), -3);
    long long notice = c.scalar("SELECT COUNT(*) FROM hazards WHERE notice_seq IS NOT NULL") + 1;
    c.exec("INSERT INTO number_counters (name, period, last) VALUES ('notice', ?, ?) ON CONFLICT (name, period) DO UPDATE SET last = excluded.last",
           {found_day.substr(0, 4), notice});
    c.exec("UPDATE hazards SET state = 'rectifying', responsible_person = ?, deadline = ?, interim_measures = ?, notice_seq = ? WHERE id = ?",
           {std::string(d.responsible), deadline, std::string("设置警示标识，安排专人值守"), notice, id});
    event(c, id, assigned_at, "assign", officer, std::string("责任人 ") + d.responsible + "，整改期限 " + deadline);
    if (d.supervision) {
      c.exec("UPDATE hazards SET supervision = ? WHERE id = ?",
             {nlohmann::json{{"level", d.supervision}, {"deadline", clock::add_days(clock::today(), 45)},
                             {"note", "镇消防安全专班挂牌督办，每周报送整改进度"}, {"at", assigned_at}}
                  .dump(),
              id});
      event(c, id, assigned_at, "supervise", officer, "镇级挂牌督办");
    }
    if (state == "overdue") {
      c.exec("UPDATE hazards SET overdue = 1 WHERE id = ?", {id});
      event(c, id, clock::iso_utc(clock::now() - std::chrono::days(2)), "overdue", {.name = "系统"}, "整改期限 " + deadline + " 已过");
      open_alert(c, {"hazard_overdue", "warning", "hazard", std::to_string(id), h.venue_id,
                     std::string(d.venue) + " 隐患逾期未整改", "整改期限 " + deadline + "，请督办岗位和专班跟进",
                     *c.text("SELECT number FROM hazards WHERE id = ?", {id})});
      continue;
    }
    if (state == "rectifying") continue;

    std::string rectified_at = clock::iso_utc(found + std::chrono::days(std::max(1, d.found_days_ago / 2)));
    nlohmann::json rect{{"measures", "已按要求整改：清除可燃物、恢复设施完好"}, {"photos", {after}}, {"signedBy", d.responsible},
                        {"at", rectified_at}};
    c.exec("UPDATE hazards SET state = 'awaiting_recheck', rectification = ? WHERE id = ?", {rect.dump(), id});
    event(c, id, rectified_at, "rectify", finder, std::string("责任人 ") + d.responsible + " 签字");
    if (state == "awaiting_recheck") continue;

    std::string rechecked_at = clock::iso_utc(found + std::chrono::days(std::max(1, d.found_days_ago / 2)) + std::chrono::hours(26));
    bool passed = state == "closed";
    std::string note = passed ? "复查合格" : "吸音材料仅拆除一半，走道吊顶未更换";
    c.exec("UPDATE hazards SET state = ?, recheck = ? WHERE id = ?",
           {std::string(passed ? "closed" : "rectifying"),
            nlohmann::json{{"passed", passed}, {"note", note}, {"by", inspector.name}, {"at", rechecked_at}}.dump(), id});
    event(c, id, rechecked_at, passed ? "recheck_passed" : "recheck_failed", inspector, note);
  }

  // The unannounced inspection (四不两直) that found the mall's blocked exit.
  {
    long long mall_id = c.scalar("SELECT id FROM venues WHERE name = '金凤商业广场'");
    access::Caller inspector2 = user_caller(c, "inspector2");
    auto at = clock::now() - std::chrono::days(2) - std::chrono::hours(3);
    nlohmann::json results = nlohmann::json::array();
    for (const auto& item : nlohmann::json::parse(*c.text("SELECT items FROM checklist_templates WHERE venue_type = 'mall'"))) {
      bool failed = item["code"] == "exits";
      results.push_back({{"code", item["code"]}, {"label", item["label"]}, {"passed", !failed},
                         {"note", failed ? "二楼东侧疏散通道堆放装修材料" : ""}});
    }
    long long id = c.insert(
        "INSERT INTO inspections (venue_id, kind, unannounced, planned_on, state, inspector_ids, results, summary, lat, lng, "
        "inspected_at, created_by, created_at, updated_at) VALUES (?, 'special', 1, ?, 'done', ?, ?, ?, 29.4402, 106.3615, ?, ?, ?, ?)",
        {mall_id, clock::local_date(at), nlohmann::json({inspector.user_id, inspector2.user_id}).dump(), results.dump(),
         std::string("冬春火灾防控专项检查（四不两直），发现 1 处隐患，已当场责令改正并交办"), clock::iso_utc(at), inspector.user_id,
         clock::iso_utc(at - std::chrono::days(1)), clock::iso_utc(at)});
    c.exec("UPDATE hazards SET inspection_id = ? WHERE venue_id = ? AND category = 'blocked_exit'", {id, mall_id});
  }

  // Public reports: waiting, overdue, accepted with a reward, rejected.
  long long market = c.scalar("SELECT id FROM venues WHERE name = '金凤农贸市场'");
  long long ktv = c.scalar("SELECT id FROM venues WHERE name = '金凤星光KTV'");
  long long kindergarten = c.scalar("SELECT id FROM venues WHERE name = '金凤镇中心幼儿园'");
  struct DemoReport {
    const char* code;
    long long venue;
    const char* category;
    const char* description;
    const char* phone;
    int hours_ago;
    const char* state;
  };
  const DemoReport reports[] = {
      {"JFDM2345", market, "illegal_hot_work", "市场二楼有人在营业时间电焊，火花落到楼下摊位", nullptr, 2, "received"},
      {"JFDM3456", ktv, "blocked_exit", "KTV 后门安全出口被铁链锁住", "13900001111", 30, "overdue"},
      {"JFDM4567", kindergarten, "ebike_charging", "幼儿园围墙外天天有人给电动车拉线充电，很危险", "13900002222", 60, "accepted"},
      {"JFDM5678", market, "other", "觉得市场人太多了", nullptr, 100, "rejected"},
  };
  long long hazard_from_report = c.scalar("SELECT id FROM hazards WHERE venue_id = ? AND category = 'ebike_charging'", {kindergarten});
  for (const auto& r : reports) {
    auto at = clock::now() - std::chrono::hours(r.hours_ago);
    auto verify_hours = c.row("SELECT verify_hours FROM hazard_categories WHERE code = ?", {std::string(r.category)});
    std::optional<int> hours;
    if (!(*verify_hours)["verify_hours"].is_null()) hours = static_cast<int>(store::as_id((*verify_hours)["verify_hours"]));
    std::string state = r.state == std::string("overdue") ? "received" : r.state;
    std::string result = state == "accepted" ? "经核查属实，已登记为隐患并督促整改" : state == "rejected" ? "不予受理：未反映具体火灾隐患" : "";
    std::string venue_name = *c.text("SELECT name FROM venues WHERE id = ?", {r.venue});
    long long id = c.insert(
        "INSERT INTO public_reports (tracking_code, venue_id, venue_name, category, description, photos, phone, ip, state, overdue, "
        "verify_by, result, hazard_id, reward, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', ?, '127.0.0.1', ?, ?, ?, ?, ?, ?, ?, ?)",
        {std::string(r.code), r.venue, venue_name, std::string(r.category), std::string(r.description),
         r.phone ? store::Value(personal::seal(c.db(), r.phone)) : store::Value(nullptr), state,
         static_cast<long long>(r.state == std::string("overdue")),
         clock::iso_utc(hazard::report_verify_by(cal, at, hours)), result,
         state == "accepted" ? store::Value(hazard_from_report) : store::Value(nullptr),
         state == "accepted" ? store::Value(nlohmann::json{{"amount", 200}, {"note", "举报属实，按规定奖励"}, {"at", clock::iso_utc(at)}, {"by", officer.name}}.dump())
                             : store::Value(nullptr),
         clock::iso_utc(at), clock::iso_utc(at)});
    if (state == "accepted") c.exec("UPDATE hazards SET report_id = ? WHERE id = ?", {id, hazard_from_report});
    if (r.state == std::string("overdue"))
      open_alert(c, {"report_overdue", "warning", "report", std::to_string(id), r.venue,
                     std::string("群众举报 ") + r.code + "（" + venue_name + "）逾期未核查", "占堵疏散通道类举报须 24 小时内核查", r.code});
  }
}

// 小型工程备案 filed by the demo contractor with 规建环保岗, one in each state.
void load_demo_small_projects(store::Db& db) {
  auto [filer, reviewer, refs] = db.read([](store::Conn& c) {
    access::Caller reviewer = user_caller(c, "gj_officer");
    reviewer.scope = access::DataScope::All;
    auto id_of = [&](const char* sql, const char* name) { return c.scalar(sql, {std::string(name)}); };
    std::map<std::string, long long> refs = {
        {"mall", id_of("SELECT id FROM venues WHERE name = ?", "金凤商业广场")},
        {"hotpot", id_of("SELECT id FROM venues WHERE name = ?", "金凤老火锅")},
        {"clinic", id_of("SELECT id FROM venues WHERE name = ?", "金凤镇卫生院")},
        {"gym", id_of("SELECT id FROM venues WHERE name = ?", "金凤全民健身中心")},
        {"decor", id_of("SELECT id FROM units WHERE name = ?", "重庆海兰装饰工程有限公司")},
        {"steel", id_of("SELECT id FROM units WHERE name = ?", "重庆九凤钢结构工程有限公司")},
        {"dept", id_of("SELECT id FROM org_units WHERE name = ?", "规建环保岗")}};
    return std::tuple{user_caller(c, "contractor"), reviewer, refs};
  });
  auto file = [&](const char* venue, const char* unit, const char* name, const char* kind, const char* location, double investment,
                  double area, int start, int end, std::vector<std::string> methods, const char* measures) {
    return file_small_project(
        db, filer,
        {{"venueId", refs.at(venue)}, {"unitId", refs.at(unit)}, {"orgUnitId", refs.at("dept")}, {"name", name}, {"kind", kind},
         {"location", location}, {"investment", investment}, {"area", area}, {"plannedStart", clock::add_days(clock::today(), start)},
         {"plannedEnd", clock::add_days(clock::today(), end)}, {"hotWorkMethods", methods}, {"fireMeasures", measures},
         {"siteManager", "邓强"}, {"sitePhone", "13883510021"}})["id"].get<long long>();
  };
  long long mall = file("mall", "decor", "三层美食街商铺装修改造", "decorate", "三层东区 3F-12 至 3F-18 商铺", 26, 280, -5, 25,
                        {"electric_welding", "gas_cutting"},
                        "动火区域与营业区用不燃材料硬质围挡分隔；每处动火点配 2 具 4kg 干粉灭火器；商场营业期间（10:00-22:00）不动火；专人监护");
  run_small_project_command(db, reviewer, mall, "accept", {{"note", "材料齐全，予以备案"}});
  run_small_project_command(db, reviewer, mall, "guide", {{"note", "现场交底：动火前清理吊顶内可燃物，监护人持证在岗"}});
  run_small_project_command(db, reviewer, mall, "guide",
                            {{"note", "夜间暗访：3F-15 电焊作业有动火作业证和专人监护，围挡完整"}, {"unannounced", true}});
  file("hotpot", "steel", "后厨排烟管道更换", "rebuild", "一层后厨及屋面排烟井", 8.5, 60, 2, 6, {"electric_welding"},
       "拆除旧管道前清理油垢；动火点下方铺设防火毯；停业日施工，监护人全程在场");
  long long clinic = file("clinic", "steel", "门诊楼入口雨棚钢结构改建", "rebuild", "门诊楼主入口", 15, 90, 4, 12,
                          {"electric_welding", "gas_cutting"}, "设置警戒区，配置灭火器");
  run_small_project_command(db, reviewer, clinic, "return",
                            {{"reason", "未写明与门诊候诊区的防火分隔措施和动火时段，请补充后重新提交"}});
  long long gym = file("gym", "steel", "看台护栏拆除更换", "demolish", "西看台", 6, 120, -30, -10, {"gas_cutting"},
                       "闭馆期间施工；切割点 10 米内无可燃物；专人监护并配消防水带");
  run_small_project_command(db, reviewer, gym, "accept", {});
  run_small_project_command(db, filer, gym, "finish", {{"note", "护栏已更换，现场已清理"}});
}

// 动火作业供需对接: the mall's manager posts four jobs. One is open with answers from the demo contractor and the
// steel works; one is awarded to the demo contractor, whose workers then apply for the permit; one is done; one is
// open with no answer yet.
void load_demo_market(store::Db& db) {
  auto [vm, contractor, steel_boss, refs] = db.read([](store::Conn& c) {
    auto caller = [&](const char* username, std::set<std::string, std::less<>> perms) {
      access::Caller who = user_caller(c, username);
      who.permissions = std::make_shared<const std::set<std::string, std::less<>>>(std::move(perms));
      return who;
    };
    auto id_of = [&](const char* sql, const char* name) { return c.scalar(sql, {std::string(name)}); };
    std::map<std::string, long long> refs = {
        {"mall", id_of("SELECT id FROM venues WHERE name = ?", "金凤商业广场")},
        {"mixed", id_of("SELECT id FROM venues WHERE name = ?", "金凤里综合体")},
        {"jinfeng", id_of("SELECT id FROM units WHERE name = ?", "重庆金凤建筑安装工程有限公司")},
        {"steel", id_of("SELECT id FROM units WHERE name = ?", "重庆九凤钢结构工程有限公司")},
        {"tang", id_of("SELECT id FROM people WHERE name = ?", "唐国庆")},
        {"jiang", id_of("SELECT id FROM people WHERE name = ?", "蒋超")},
        {"gao", id_of("SELECT id FROM people WHERE name = ?", "高建")},
        {"shi", id_of("SELECT id FROM people WHERE name = ?", "石磊")}};
    // The steel works' owner answers as the unit's registrar (the demo has no account for it).
    access::Caller steel = caller("admin", {"market:read", "market:offer"});
    steel.scope = access::DataScope::All;
    return std::tuple{caller("venue_mgr", {"market:read", "market:post"}), caller("contractor", {"market:read", "market:offer"}), steel, refs};
  });
  auto post = [&](const char* venue, const char* title, const char* description, const char* place, std::vector<std::string> methods,
                  int from, int to, int workers, std::optional<double> budget) {
    nlohmann::json body = {{"venueId", refs.at(venue)}, {"title", title}, {"description", description}, {"place", place},
                           {"methods", methods}, {"windowStart", clock::add_days(clock::today(), from)},
                           {"windowEnd", clock::add_days(clock::today(), to)}, {"workersNeeded", workers}, {"contactName", "冯建华"},
                           {"contactPhone", "13983040001"}};
    if (budget) body["budget"] = *budget;
    return post_work_request(db, vm, body)["id"].get<long long>();
  };
  auto answer = [&](const access::Caller& who, long long request, const char* unit, std::vector<long long> people, double price,
                    const char* note) {
    nlohmann::json r = submit_work_offer(db, who, request, {{"unitId", refs.at(unit)}, {"peopleIds", people}, {"price", price}, {"note", note}});
    for (const auto& o : r["offers"])
      if (o["unitId"] == refs.at(unit)) return o["id"].get<long long>();
    return 0LL;
  };
  long long railing = post("mall", "中庭观光电梯护栏加固", "中庭 2F-4F 观光电梯玻璃护栏底座 16 处需电焊加固，闭店后施工", "中庭观光电梯周边",
                           {"electric_welding"}, 1, 10, 2, 4800);
  answer(contractor, railing, "jinfeng", {refs.at("tang"), refs.at("jiang")}, 4500, "两名持证焊工，夜间 22:30 后施工，两晚完成");
  answer(steel_boss, railing, "steel", {refs.at("gao"), refs.at("shi")}, 4200, "自带加芯赋码焊机，可提供防火毯");
  long long duct = post("mixed", "地下车库排烟风管支架更换", "B1 车库排烟风管锈蚀支架约 40 处，需气割拆除后电焊新支架", "负一层车库东区",
                        {"gas_cutting", "electric_welding"}, 3, 20, 2, std::nullopt);
  long long won = answer(contractor, duct, "jinfeng", {refs.at("tang"), refs.at("jiang")}, 9800, "分区施工，每段动火前办理动火作业证");
  run_work_offer_command(db, vm, won, "accept");
  long long sign = post("mall", "外立面招牌钢架焊接", "东立面新招牌钢架 6 米，电焊固定", "东立面二层", {"electric_welding"}, 0, 4, 1, 2000);
  long long signed_offer = answer(contractor, sign, "jinfeng", {refs.at("tang")}, 1800, "一人一天");
  run_work_offer_command(db, vm, signed_offer, "accept");
  run_work_request_command(db, vm, sign, "done", {{"note", "已完工，动火作业证已关闭，现场已清理"}, {"rating", 5}});
  post("mall", "冷库门框焊补", "一层超市冷库门框开焊两处，需电焊焊补", "一层超市后区冷库", {"electric_welding"}, 2, 14, 1, std::nullopt);
}

// 培训与约谈: a training of the demo contractor's welders by 安全应急岗, an interview of the hot-pot restaurant by
// 商贸发展岗, a 小喇叭 campaign by 龙凤社区 and the task force's dispatch meeting.
void load_demo_meetings(store::Db& db) {
  auto [callers, refs] = db.read([](store::Conn& c) {
    std::map<std::string, access::Caller> callers;
    for (const char* u : {"inspector", "sw_officer", "grid_longfeng"}) {
      callers[u] = user_caller(c, u);
      callers[u].org_unit_id = c.scalar("SELECT org_unit_id FROM users WHERE username = ?", {std::string(u)});
    }
    auto id_of = [&](const char* sql, const char* name) { return c.scalar(sql, {std::string(name)}); };
    std::map<std::string, long long> refs = {
        {"hotpot", id_of("SELECT id FROM venues WHERE name = ?", "金凤老火锅")},
        {"mall", id_of("SELECT id FROM venues WHERE name = ?", "金凤商业广场")},
        {"jinfeng", id_of("SELECT id FROM units WHERE name = ?", "重庆金凤建筑安装工程有限公司")},
        {"steel", id_of("SELECT id FROM units WHERE name = ?", "重庆九凤钢结构工程有限公司")},
        {"tang", id_of("SELECT id FROM people WHERE name = ?", "唐国庆")},
        {"jiang", id_of("SELECT id FROM people WHERE name = ?", "蒋超")},
        {"gao", id_of("SELECT id FROM people WHERE name = ?", "高建")}};
    return std::pair{callers, refs};
  });
  auto day = [](int offset) { return clock::add_days(clock::today(), offset); };
  using ids = std::vector<long long>;
  create_meeting(db, callers.at("inspector"),
                 {{"kind", "training"}, {"title", "人员密集场所动火作业安全培训（第一期）"}, {"heldOn", day(-20)}, {"place", "镇政府三楼会议室"},
                  {"content", "讲解\"六必须\"、动火作业证办理和作业后监护；播放典型火灾事故警示片；现场演练灭火器使用"},
                  {"headcount", 42}, {"venueIds", ids{refs.at("mall")}}, {"unitIds", ids{refs.at("jinfeng"), refs.at("steel")}},
                  {"personIds", ids{refs.at("tang"), refs.at("jiang"), refs.at("gao")}}});
  create_meeting(db, callers.at("sw_officer"),
                 {{"kind", "interview"}, {"title", "金凤老火锅营业期间违规动火约谈"}, {"heldOn", day(-6)}, {"place", "商贸发展岗办公室"},
                  {"content", "指出营业期间在后厨违规电焊、未办理动火作业证的问题；要求 7 日内建立内部动火审批制度，落实专人监护，整改情况书面报送"},
                  {"headcount", 2}, {"venueIds", ids{refs.at("hotpot")}}});
  create_meeting(db, callers.at("grid_longfeng"),
                 {{"kind", "warning"}, {"title", "今冬明春\"三清三关\"小喇叭宣传"}, {"heldOn", day(-3)}, {"place", "龙凤社区各小区"},
                  {"content", "网格员巡回播放清理楼道、阳台、厨房可燃杂物，离人关闭电源、火源、气源的宣传音频，发放宣传单"}, {"headcount", 120}});
  create_meeting(db, callers.at("inspector"),
                 {{"kind", "briefing"}, {"title", "动火作业专项整治工作专班调度会"}, {"heldOn", day(-1)}, {"place", "安全应急岗会议室"},
                  {"content", "通报本月未审批动火预警和举报核查情况；对进展滞后的岗位定向督办"}, {"headcount", 11}});
}

// 今冬明春消防安全防范 (seed 001), in its second phase: tasks led by the demo departments, some reported on, one
// late and one completed.
void load_demo_campaign(store::Db& db) {
  auto [org, people] = db.read([](store::Conn& c) {
    std::map<std::string, long long> org;
    for (const auto& r : c.rows("SELECT id, name FROM org_units")) org[r["name"].get<std::string>()] = store::as_id(r["id"]);
    std::map<std::string, access::Caller> people;
    for (const char* u : {"admin", "sw_officer", "wj_officer", "ms_officer", "inspector"}) {
      access::Caller who = user_caller(c, u);
      who.org_unit_id = c.scalar("SELECT org_unit_id FROM users WHERE username = ?", {std::string(u)});
      people[u] = who;
    }
    return std::pair{org, people};
  });
  auto day = [](int offset) { return clock::add_days(clock::today(), offset); };
  const int start = -34, end = 116;
  auto task = [&](const char* title, const char* content, const char* lead, std::vector<const char*> helpers, int due) {
    nlohmann::json ids = nlohmann::json::array();
    for (const char* h : helpers) ids.push_back(org.at(h));
    return nlohmann::json{{"title", title}, {"content", content}, {"leadOrgUnitId", org.at(lead)}, {"helperOrgUnitIds", ids}, {"dueOn", day(due)}};
  };
  nlohmann::json k = create_campaign(
      db, people.at("admin"),
      {{"name", "金凤镇今冬明春消防安全防范工作"},
       {"goal", "聚焦人员密集场所、重要时段和重大活动，以除险清患为导向，坚决防范和遏制群死群伤火灾事故"},
       {"startsOn", day(start)}, {"endsOn", day(end)},
       {"phases", {{{"name", "部署发动"}, {"from", day(start)}, {"to", day(start + 29)}},
                   {{"name", "组织实施"}, {"from", day(start + 30)}, {"to", day(end - 6)}},
                   {{"name", "总结提升"}, {"from", day(end - 5)}, {"to", day(end)}}}},
       {"tasks",
        {task("人员密集场所火灾隐患集中整治", "农贸市场、商场、宾馆等集中整治违规使用易燃可燃材料装修、占堵疏散通道、锁闭安全出口", "商贸发展岗",
              {"文教体旅岗", "民政社事岗"}, end - 6),
         task("医院、养老院夜间值守与施工管控", "督促落实夜间值班值守，加强巡查检查，严禁违规施工装修改造", "民政社事岗", {}, -3),
         task("厂房库房消防安全整治回头看", "一对一跟踪督办遗留隐患整改，开展自查自评", "企业服务岗", {"安全应急岗"}, 60),
         task("燃气消防安全专项整治", "重点整治餐饮企业堵塞安全出口、违规用火用电用气", "市场监督岗", {"商贸发展岗", "城市管理岗"}, 75),
         task("电气焊作业全链条监管", "落实电气焊作业全链条管理规定，查处无证、违规动火", "安全应急岗", {"规建环保岗", "市场监督岗"}, end - 6),
         task("消防安全宣传五进和三清三关", "开展消防宣传进企业、进社区、进学校、进农村、进家庭", "文教体旅岗", {"龙凤社区"}, 20),
         task("元旦春节元宵消防安保", "研判重要活动、商业促销、庙会等风险，落实现场看护和巡查", "安全应急岗", {"城市管理岗"}, 80)}}});
  auto ids = db.read([&](store::Conn& c) {
    std::map<int, long long> m;
    for (const auto& r : c.rows("SELECT id, seq FROM campaign_tasks WHERE campaign_id = ?", {k["id"].get<long long>()}))
      m[static_cast<int>(store::as_id(r["seq"]))] = store::as_id(r["id"]);
    return m;
  });
  report_task(db, people.at("sw_officer"), ids.at(1),
              {{"content", "检查金凤商业广场、农贸市场等 12 家场所，督促清理疏散通道堆放物"}, {"venuesChecked", 12}, {"hazardsFound", 5}, {"hazardsFixed", 3}});
  report_task(db, people.at("wj_officer"), ids.at(1), {{"content", "检查文体场馆 4 家，未发现锁闭安全出口"}, {"venuesChecked", 4}});
  report_task(db, people.at("inspector"), ids.at(5),
              {{"content", "联合市场监督岗检查焊机销售和在用焊机加芯赋码情况，查处违规动火 2 起"}, {"venuesChecked", 9}, {"hazardsFound", 2}, {"hazardsFixed", 2}});
  report_task(db, people.at("wj_officer"), ids.at(6), {{"content", "消防宣传进学校 3 场、进社区 2 场"}});
  complete_task(db, people.at("wj_officer"), ids.at(6), {{"summary", "五进宣传 12 场，发放三清三关提示 3000 份"}});
}

// 存量焊机改造: five machines the units registered without a chip. The demo contractor's first has been fitted with a
// chip, insured and its subsidy paid; its second waits to be traded in; the steel works' first waits for review and
// its second was refused; the contractor's last has no application yet.
void load_demo_retrofits(store::Db& db) {
  auto [contractor, admin, machines] = db.write([](store::Conn& c) {
    auto unit = [&](const char* name) { return c.scalar("SELECT id FROM units WHERE name = ?", {std::string(name)}); };
    long long jinfeng = unit("重庆金凤建筑安装工程有限公司"), steel = unit("重庆九凤钢结构工程有限公司");
    std::vector<long long> machines;
    std::string now = clock::iso_utc(clock::now());
    for (auto [code, unit_id, kind, model] : std::vector<std::tuple<const char*, long long, const char*, const char*>>{
             {"JF-CL-0001", jinfeng, "arc_welder", "ZX7-315"},
             {"JF-CL-0002", jinfeng, "arc_welder", "BX1-500"},
             {"JF-CL-0003", steel, "co2_welder", "NB-350"},
             {"JF-CL-0004", steel, "arc_welder", "BX1-315"},
             {"JF-CL-0005", jinfeng, "argon_welder", "WS-250"}})
      machines.push_back(c.insert("INSERT INTO machines (code, unit_id, kind, model, status, created_by, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?, 'active', 1, ?, ?)",
                                  {std::string(code), unit_id, std::string(kind), std::string(model), now, now}));
    access::Caller contractor = user_caller(c, "contractor");
    contractor.permissions = std::make_shared<const std::set<std::string, std::less<>>>(
        std::set<std::string, std::less<>>{"machine:read", "machine:write", "retrofit:read", "retrofit:apply"});
    access::Caller admin = user_caller(c, "admin");
    admin.scope = access::DataScope::All;
    return std::tuple{contractor, admin, machines};
  });
  auto apply = [&](const access::Caller& who, long long machine, const char* way, double subsidy, const char* reason) {
    return apply_retrofit(db, who, {{"machineId", machine}, {"way", way}, {"subsidyRequested", subsidy}, {"reason", reason}})["id"].get<long long>();
  };
  put_subsidy_standards(db, admin, {{"retrofit", 500}, {"tradeIn", 1000}});  // 元 per machine
  long long fitted = apply(contractor, machines[0], "retrofit", 300, "在用电焊机，加装定位和电流监测芯片");
  run_retrofit_command(db, admin, fitted, "approve", {{"subsidyGranted", 300}, {"note", "符合存量焊机改造补贴条件"}});
  run_retrofit_command(db, contractor, fitted, "complete",
                       {{"chipId", "CHIP-5001-002001"}, {"insurer", "中国人民财产保险股份有限公司重庆市分公司"},
                        {"policyNumber", "PICC-HJ-2026-000318"}, {"insuredUntil", clock::add_days(clock::today(), 365)}});
  run_retrofit_command(db, admin, fitted, "pay", {{"amount", 300}, {"paidOn", clock::today()}, {"paymentRef", "JFZ-2026-BT-0007"}});
  long long traded = apply(contractor, machines[1], "trade_in", 800, "BX1 老式交流焊机，无法加装芯片，申请以旧换新");
  run_retrofit_command(db, admin, traded, "approve", {{"subsidyGranted", 600}, {"note", "以旧换新补贴按新机价格的 30% 核定"}});
  apply(admin, machines[2], "retrofit", 300, "钢结构车间二保焊机");
  long long refused = apply(admin, machines[3], "retrofit", 300, "");
  run_retrofit_command(db, admin, refused, "reject", {{"note", "该型号焊机已列入淘汰目录，请申请以旧换新"}});
}

void load_demo_use_cases(store::Db& db) {
  access::Caller admin = db.read([](store::Conn& c) { return user_caller(c, "admin"); });
  admin.scope = access::DataScope::All;
  nlohmann::json draw = create_draw(db, admin,
                                    {{"name", "冬春火灾防控双随机抽查（第一批）"}, {"venueCount", 6}, {"plannedOn", clock::add_days(clock::today(), 3)},
                                     {"seed", "2026120201"}});
  publish_draw(db, admin, draw["id"]);

  // 一案双罚 at the KTV (exposed), and an unlicensed contractor at the hotel (失信联合惩戒).
  auto ids = db.read([](store::Conn& c) {
    return std::vector<long long>{c.scalar("SELECT id FROM hazards WHERE category = 'flammable_decoration'"),
                                  c.scalar("SELECT venue_id FROM hazards WHERE category = 'flammable_decoration'"),
                                  c.scalar("SELECT id FROM hazards WHERE category = 'illegal_hot_work'"),
                                  c.scalar("SELECT venue_id FROM hazards WHERE category = 'illegal_hot_work'"),
                                  c.scalar("SELECT MAX(id) FROM units")};
  });
  std::string decided = clock::add_days(clock::today(), -1);
  nlohmann::json ktv = open_case(db, admin,
                                 {{"sourceType", "hazard"}, {"sourceId", ids[0]}, {"venueId", ids[1]}, {"title", "公共娱乐场所违规使用易燃可燃材料装修"},
                                  {"facts", "金凤星光KTV包房墙面使用聚氨酯泡沫吸音材料，经责令限期改正逾期未改正，负责人邓华（电话13883510010）未落实整改"},
                                  {"legalBasis", "《中华人民共和国消防法》第二十六条、第六十条"},
                                  {"responsiblePersons", {{{"name", "邓华"}, {"role", "主要负责人"}}}}});
  run_case_command(db, admin, ktv["id"], "penalize",
                   {{"decisionNumber", "渝高新消行罚决字〔2026〕0012号"}, {"decidedOn", decided},
                    {"unitPenalty", {{"kind", "fine"}, {"amount", 30000}}},
                    {"personPenalties", {{{"name", "邓华"}, {"role", "主要负责人"}, {"kind", "fine"}, {"amount", 5000}}}}});
  run_case_command(db, admin, ktv["id"], "expose",
                   {{"title", "金凤星光KTV违规使用易燃装修材料被一案双罚"},
                    {"summary", "金凤星光KTV包房大面积使用聚氨酯泡沫，逾期未整改。对该单位罚款 3 万元，对主要负责人邓华罚款 5000 元。"}});
  nlohmann::json hotel = open_case(db, admin,
                                   {{"sourceType", "hazard"}, {"sourceId", ids[2]}, {"venueId", ids[3]}, {"unitId", ids[4]},
                                    {"title", "营业期间违规动火、作业人员无证"},
                                    {"facts", "施工单位在宾馆营业期间于三楼走廊电焊作业，未办理动火作业证，作业人员无特种作业操作证"},
                                    {"responsiblePersons", {{{"name", "邓强"}, {"role", "施工负责人"}}}}});
  run_case_command(db, admin, hotel["id"], "refer", {{"department", "高新区消防救援支队"}, {"note", "涉嫌无证动火，移交依法查处"}});
  mark_credit(db, admin, ids[4], {{"reason", "营业场所违规动火、无证作业，经查属实"}, {"caseId", hotel["id"]}});
  load_demo_small_projects(db);
  load_demo_campaign(db);
  load_demo_market(db);
  load_demo_meetings(db);
  load_demo_retrofits(db);
}

}  // namespace huoyan::app
