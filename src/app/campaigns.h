#pragma once
// 专项行动 (seed 001, 今冬明春消防安全防范): a time-boxed campaign with phases and key tasks, each led by a department
// with others helping. Departments report progress on their tasks; the lead department completes its task; the
// campaign's page shows each task's state, lateness and reported totals beside the hazards found and closed in the
// campaign's dates, by supervising department.
#include <nlohmann/json.hpp>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// {items}: every campaign, newest first, with its task counts.
json list_campaigns(store::Db& db);
// With its tasks and the hazard statistics of its dates.
json get_campaign(store::Db& db, long long id);
// {name, goal?, startsOn, endsOn, phases?: [{name, from, to}], tasks: [{title, content?, leadOrgUnitId, helperOrgUnitIds?, dueOn}]}
json create_campaign(store::Db& db, const access::Caller& who, const json& body);
// {items}: a task's progress reports, newest first.
json list_task_reports(store::Db& db, long long task_id);
// {content, venuesChecked?, hazardsFound?, hazardsFixed?}: by the lead or a helping department (the caller's own).
json report_task(store::Db& db, const access::Caller& who, long long task_id, const json& body);
// {summary}: by the lead department.
json complete_task(store::Db& db, const access::Caller& who, long long task_id, const json& body);

// Timer: tells the lead department and the task force, once, of each task past its deadline. Returns the tasks told of.
int run_campaign_timers(store::Db& db);

}  // namespace huoyan::app
