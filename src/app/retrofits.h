#pragma once
// 存量焊机"加芯赋码"改造 (seed 000 二(十): "采取政府补贴、保险兜底、以旧换新等方式，引导存量焊机进行'加芯赋码'改造").
// A unit applies for a registered machine of its own that carries no chip: fitted with a chip (retrofit) or replaced by
// a new chipped machine (trade_in, 以旧换新), with the subsidy it asks for. A department approves it and grants a
// subsidy (none to a unit under 信用惩戒), the unit reports the work done — the chip is then bound to the machine, or
// the new machine registered and the old one retired — with the machine's insurance policy (保险兜底) when it has
// one, and the department records the subsidy paid.
//
// States: applied → approved → done; applied → rejected; applied | approved → cancelled (by the unit).
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// ?state=&way=&unitId=&machineId=&unpaid=true&q=&page=&pageSize=, newest first, for the units in the caller's scope
// (a construction unit: its own).
json list_retrofits(store::Db& db, const access::Caller& who, const QueryMap& q);
// The same filters as the list, up to 100,000 rows, as the .xlsx ledger finance reconciles subsidies against.
std::string export_retrofits_xlsx(store::Db& db, const access::Caller& who, const QueryMap& q);
json get_retrofit(store::Db& db, const access::Caller& who, long long id);
// {machineId, way: retrofit|trade_in, subsidyRequested?, reason?}
json apply_retrofit(store::Db& db, const access::Caller& who, const json& body);
// approve {subsidyGranted, note?}, reject {note}, cancel {reason?},
// complete {chipId, code?, kind?, model? (trade_in: the new machine), insurer?, policyNumber?, insuredUntil?},
// pay {amount, paidOn, paymentRef}: `name` is the route's last segment.
json run_retrofit_command(store::Db& db, const access::Caller& who, long long id, const std::string& name, const json& body);
// For the machines in the caller's scope: {machines: {active, chipped, unchipped}, states: {applied: n, ...},
// done: {retrofit, trade_in, insured}, subsidy: {requested, granted, paid}, units: the 20 units with the most machines
// in use without a chip [{id, name, active, chipped, unchipped, inProgress}]}.
json retrofit_summary(store::Db& db, const access::Caller& who);
// The town's subsidy standards, 元 per machine: {retrofit, tradeIn}, null where there is none. An application may not
// ask for more, nor a department grant more (400 SUBSIDY_OVER_STANDARD).
json get_subsidy_standards(store::Db& db);
json put_subsidy_standards(store::Db& db, const access::Caller& who, const json& body);
// Once a month (the first timer round of the month): each unit with machines in use that carry no chip and have no
// application in progress is reminded to apply (retrofit.remind, to its people's accounts that may apply). Returns
// the units reminded.
int run_retrofit_reminders(store::Db& db);

}  // namespace huoyan::app
