#include "app/campaigns.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/audit.h"
#include "app/input.h"
#include "app/notify.h"
#include "domain/clock.h"
#include "domain/errors.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

std::string org_name(store::Conn& c, long long id) { return c.text("SELECT name FROM org_units WHERE id = ?", {id}).value_or(""); }

// Org unit names by id, read once for a campaign's tasks (a town or district has tens to hundreds of them).
std::map<long long, std::string> org_names(store::Conn& c) {
  std::map<long long, std::string> out;
  c.each_view("SELECT id, name FROM org_units", {}, [&](const store::RowView& r) { out.emplace(r.integer("id"), std::string(r.text("name"))); });
  return out;
}

// A task as its campaign's page shows it: departments by name, state, lateness and the reported totals (read by
// kTaskSelect with the task).
json task_json(const json& row, const std::map<long long, std::string>& names, const std::string& today) {
  json t = row;
  store::as_int(t, {"id", "campaignId", "seq", "leadOrgUnitId", "reportCount", "venuesChecked", "hazardsFound", "hazardsFixed"});
  auto name = [&](long long id) {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };
  t["leadOrgUnitName"] = name(t["leadOrgUnitId"]);
  json helpers = json::parse(t["helperOrgUnitIds"].get<std::string>());
  t["helperOrgUnitIds"] = helpers;
  json helper_names = json::array();
  for (const auto& h : helpers) helper_names.push_back(name(h.get<long long>()));
  t["helperOrgUnitNames"] = helper_names;
  bool done = !t["doneAt"].is_null();
  t["state"] = done ? "done" : "open";
  t["late"] = !done && t["dueOn"].get<std::string>() < today;
  return t;
}

// A task with the totals of its reports (campaign_reports_task serves the subqueries).
constexpr const char* kTaskSelect =
    "SELECT t.id, t.campaign_id AS \"campaignId\", t.seq, t.title, t.content, t.lead_org_unit_id AS \"leadOrgUnitId\", "
    "t.helper_org_unit_ids AS \"helperOrgUnitIds\", t.due_on AS \"dueOn\", t.done_at AS \"doneAt\", t.done_summary AS \"doneSummary\", "
    "(SELECT COUNT(*) FROM campaign_reports r WHERE r.task_id = t.id) AS \"reportCount\", "
    "(SELECT COALESCE(SUM(r.venues_checked), 0) FROM campaign_reports r WHERE r.task_id = t.id) AS \"venuesChecked\", "
    "(SELECT COALESCE(SUM(r.hazards_found), 0) FROM campaign_reports r WHERE r.task_id = t.id) AS \"hazardsFound\", "
    "(SELECT COALESCE(SUM(r.hazards_fixed), 0) FROM campaign_reports r WHERE r.task_id = t.id) AS \"hazardsFixed\", "
    "(SELECT MAX(r.created_at) FROM campaign_reports r WHERE r.task_id = t.id) AS \"lastReportAt\" "
    "FROM campaign_tasks t";

json load_task(store::Conn& c, long long id) {
  auto row = c.row(std::string(kTaskSelect) + " WHERE t.id = ?", {id});
  if (!row) throw not_found();
  return task_json(*row, org_names(c), clock::today());
}

json campaign_json(store::Conn& c, const json& row) {
  json k = row;
  store::as_int(k, {"id", "createdBy"});
  k["phases"] = json::parse(k["phases"].get<std::string>());
  std::string today = clock::today();
  k["status"] = today < k["startsOn"].get<std::string>() ? "upcoming" : today > k["endsOn"].get<std::string>() ? "ended" : "active";
  k["currentPhase"] = nullptr;
  for (const auto& p : k["phases"])
    if (p["from"].get<std::string>() <= today && today <= p["to"].get<std::string>()) k["currentPhase"] = p["name"];
  auto counts = c.row("SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS done, "
                      "COALESCE(SUM(CASE WHEN done_at IS NULL AND due_on < ? THEN 1 ELSE 0 END), 0) AS late "
                      "FROM campaign_tasks WHERE campaign_id = ?",
                      {today, k["id"].get<long long>()});
  store::as_int(*counts, {"n", "done", "late"});
  k["taskCount"] = (*counts)["n"];
  k["doneCount"] = (*counts)["done"];
  k["lateCount"] = (*counts)["late"];
  return k;
}

constexpr const char* kCampaignSelect =
    "SELECT id, name, goal, starts_on AS \"startsOn\", ends_on AS \"endsOn\", phases, created_by AS \"createdBy\", "
    "created_at AS \"createdAt\" FROM campaigns";

json campaign_detail(store::Conn& c, long long id) {
  auto row = c.row(std::string(kCampaignSelect) + " WHERE id = ?", {id});
  if (!row) throw not_found();
  json k = campaign_json(c, *row);
  std::string today = clock::today();
  json tasks = json::array();
  auto names = org_names(c);
  for (const auto& t : c.rows(std::string(kTaskSelect) + " WHERE t.campaign_id = ? ORDER BY t.seq", {id})) tasks.push_back(task_json(t, names, today));
  k["tasks"] = tasks;
  // The hazards found within the campaign's dates, by the department that supervises them.
  json stats = c.rows(
      "SELECT h.supervisor_org_unit_id AS \"orgUnitId\", COALESCE(o.name, '未指定监管岗位') AS \"orgUnitName\", COUNT(*) AS found, "
      "SUM(CASE WHEN h.state = 'closed' THEN 1 ELSE 0 END) AS closed, SUM(CASE WHEN h.overdue = 1 AND h.state <> 'closed' THEN 1 ELSE 0 END) AS overdue "
      "FROM hazards h LEFT JOIN org_units o ON o.id = h.supervisor_org_unit_id WHERE h.found_at >= ? AND h.found_at <= ? "
      "GROUP BY h.supervisor_org_unit_id, o.name ORDER BY found DESC, \"orgUnitName\"",
      {clock::iso_utc(clock::day_start(k["startsOn"].get<std::string>())), clock::iso_utc(clock::day_end(k["endsOn"].get<std::string>()))});
  store::as_int(stats, {"orgUnitId", "found", "closed", "overdue"});
  k["hazardStats"] = stats;
  return k;
}

struct Task {
  std::string title, content, due_on;
  long long lead = 0;
  std::vector<long long> helpers;
};

}  // namespace

json list_campaigns(store::Db& db) {
  return db.read([](store::Conn& c) {
    json items = json::array();
    for (const auto& row : c.rows(std::string(kCampaignSelect) + " ORDER BY starts_on DESC, id DESC")) items.push_back(campaign_json(c, row));
    return json{{"items", items}};
  });
}

json get_campaign(store::Db& db, long long id) {
  return db.read([&](store::Conn& c) { return campaign_detail(c, id); });
}

json create_campaign(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  std::string name = in.str("name", 100, "专项行动名称");
  std::string goal = in.opt_str("goal", 2000, "工作目标").value_or("");
  std::string starts = in.date("startsOn", "开始日期");
  std::string ends = in.date("endsOn", "结束日期");
  if (ends < starts) throw bad_request("INVALID_VALUE", "结束日期不能早于开始日期", "endsOn");
  json phases = json::array();
  if (in.has("phases")) {
    if (body["phases"].size() > 6) throw bad_request("INVALID_VALUE", "工作阶段最多 6 个", "phases");
    for (const auto& o : body["phases"]) {
      Input pi(o);
      pi.only_fields({"name", "from", "to"}, "phases");
      std::string pname = pi.str("name", 30, "阶段名称"), from = pi.date("from", "阶段开始日期"), to = pi.date("to", "阶段结束日期");
      if (to < from || from < starts || to > ends)
        throw bad_request("INVALID_VALUE", "阶段「" + pname + "」的日期须在专项行动的起止日期之内，且结束不早于开始", "phases");
      phases.push_back({{"name", pname}, {"from", from}, {"to", to}});
    }
  }
  if (!in.has("tasks") || body["tasks"].empty()) throw bad_request("REQUIRED", "请至少部署一项重点任务", "tasks");
  if (body["tasks"].size() > 30) throw bad_request("INVALID_VALUE", "重点任务最多 30 项", "tasks");
  std::vector<Task> tasks;
  for (const auto& o : body["tasks"]) {
    Input ti(o);
    ti.only_fields({"title", "content", "leadOrgUnitId", "helperOrgUnitIds", "dueOn"}, "tasks");
    Task t;
    t.title = ti.str("title", 100, "任务名称");
    t.content = ti.opt_str("content", 4000, "任务内容").value_or("");
    t.lead = ti.integer("leadOrgUnitId", "牵头部门");
    t.helpers = ti.has("helperOrgUnitIds") ? ti.int_list("helperOrgUnitIds", 20, "配合部门") : std::vector<long long>{};
    t.due_on = ti.date("dueOn", "完成期限");
    if (t.due_on < starts || t.due_on > ends)
      throw bad_request("INVALID_VALUE", "任务「" + t.title + "」的完成期限须在专项行动的起止日期之内", "tasks");
    if (std::find(t.helpers.begin(), t.helpers.end(), t.lead) != t.helpers.end())
      throw bad_request("INVALID_VALUE", "任务「" + t.title + "」的牵头部门不必再列为配合部门", "tasks");
    tasks.push_back(std::move(t));
  }
  return db.write([&](store::Conn& c) {
    for (const auto& t : tasks) {
      std::set<long long> orgs(t.helpers.begin(), t.helpers.end());
      orgs.insert(t.lead);
      for (long long id : orgs)
        if (!c.row("SELECT id FROM org_units WHERE id = ? AND parent_id IS NOT NULL", {id}))
          throw bad_request("ORG_UNIT_NOT_FOUND", "任务「" + t.title + "」的牵头或配合单位不存在（须为岗位或村、社区）", "tasks");
    }
    long long id = c.insert("INSERT INTO campaigns (name, goal, starts_on, ends_on, phases, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            {name, goal, starts, ends, phases.dump(), who.user_id, now_iso()});
    long long seq = 0;
    for (const auto& t : tasks) {
      c.insert("INSERT INTO campaign_tasks (campaign_id, seq, title, content, lead_org_unit_id, helper_org_unit_ids, due_on) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {id, ++seq, t.title, t.content, t.lead, json(t.helpers).dump(), t.due_on});
      std::vector<long long> departments = t.helpers;
      departments.push_back(t.lead);
      notify(c, {.event = "campaign.task_assigned", .title = "专项行动任务：" + t.title,
                 .body = name + "：牵头 " + org_name(c, t.lead) + "，完成期限 " + t.due_on + "，请按期报送进展",
                 .link = "/campaigns/" + std::to_string(id), .departments = departments, .actor = who.user_id,
                 .permission = "campaign:read"});
    }
    json after = campaign_detail(c, id);
    record(c, who, "campaign.create", "campaign", std::to_string(id), nullptr,
           json{{"name", name}, {"startsOn", starts}, {"endsOn", ends}, {"tasks", tasks.size()}});
    return after;
  });
}

json list_task_reports(store::Db& db, long long task_id) {
  return db.read([&](store::Conn& c) {
    if (!c.row("SELECT id FROM campaign_tasks WHERE id = ?", {task_id})) throw not_found();
    json items = c.rows("SELECT r.id, r.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", r.content, r.venues_checked AS \"venuesChecked\", "
                        "r.hazards_found AS \"hazardsFound\", r.hazards_fixed AS \"hazardsFixed\", r.by_name AS \"by\", r.created_at AS \"createdAt\" "
                        "FROM campaign_reports r JOIN org_units o ON o.id = r.org_unit_id WHERE r.task_id = ? ORDER BY r.id DESC",
                        {task_id});
    store::as_int(items, {"id", "orgUnitId", "venuesChecked", "hazardsFound", "hazardsFixed"});
    return json{{"items", items}};
  });
}

json report_task(store::Db& db, const access::Caller& who, long long task_id, const json& body) {
  Input in(body);
  std::string content = in.str("content", 4000, "工作进展");
  long long venues = in.opt_integer("venuesChecked", "检查场所数", 0, 100000).value_or(0);
  long long found = in.opt_integer("hazardsFound", "发现隐患数", 0, 100000).value_or(0);
  long long fixed = in.opt_integer("hazardsFixed", "整改隐患数", 0, 100000).value_or(0);
  return db.write([&](store::Conn& c) {
    json before = load_task(c, task_id);
    json helpers = before["helperOrgUnitIds"];
    bool mine = before["leadOrgUnitId"] == who.org_unit_id ||
                std::any_of(helpers.begin(), helpers.end(), [&](const json& h) { return h == who.org_unit_id; });
    if (!mine) throw ApiError{403, "NOT_TASK_DEPARTMENT", "您所在的部门不是该任务的牵头或配合单位，不能报送进展"};
    if (before["state"] == "done") throw conflict("TASK_DONE", "该任务已完成，不再报送进展");
    c.insert("INSERT INTO campaign_reports (task_id, org_unit_id, content, venues_checked, hazards_found, hazards_fixed, by_name, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {task_id, who.org_unit_id, content, venues, found, fixed, who.name, now_iso()});
    json after = load_task(c, task_id);
    record(c, who, "campaign.report", "campaign_task", std::to_string(task_id), nullptr,
           json{{"content", content}, {"venuesChecked", venues}, {"hazardsFound", found}, {"hazardsFixed", fixed}});
    return after;
  });
}

json complete_task(store::Db& db, const access::Caller& who, long long task_id, const json& body) {
  Input in(body);
  std::string summary = in.str("summary", 4000, "完成情况");
  return db.write([&](store::Conn& c) {
    json before = load_task(c, task_id);
    if (before["leadOrgUnitId"] != who.org_unit_id)
      throw ApiError{403, "NOT_LEAD_DEPARTMENT", "只有牵头部门可以确认任务完成"};
    if (before["state"] == "done") throw conflict("TASK_DONE", "该任务已完成");
    c.exec("UPDATE campaign_tasks SET done_at = ?, done_summary = ? WHERE id = ?", {now_iso(), summary, task_id});
    json after = load_task(c, task_id);
    record(c, who, "campaign.complete", "campaign_task", std::to_string(task_id), before, after);
    return after;
  });
}

int run_campaign_timers(store::Db& db) {
  return db.write([](store::Conn& c) {
    int told = 0;
    json late = c.rows("SELECT t.id, t.title, t.due_on, t.lead_org_unit_id, k.id AS campaign_id, k.name FROM campaign_tasks t "
                       "JOIN campaigns k ON k.id = t.campaign_id WHERE t.done_at IS NULL AND t.late_notified_at IS NULL AND t.due_on < ?",
                       {clock::today()});
    for (const auto& t : late) {
      long long lead = store::as_id(t["lead_org_unit_id"]);
      notify(c, {.event = "campaign.task_late", .title = "专项行动任务逾期：" + t["title"].get<std::string>(),
                 .body = t["name"].get<std::string>() + "：完成期限 " + t["due_on"].get<std::string>() + " 已过，牵头 " + org_name(c, lead) +
                         "尚未确认完成",
                 .link = "/campaigns/" + std::to_string(store::as_id(t["campaign_id"])), .departments = {lead}, .task_force = true,
                 .permission = "campaign:read"});
      c.exec("UPDATE campaign_tasks SET late_notified_at = ? WHERE id = ?", {now_iso(), store::as_id(t["id"])});
      ++told;
    }
    return told;
  });
}

}  // namespace huoyan::app
