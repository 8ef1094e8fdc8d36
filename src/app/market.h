#pragma once
// 动火作业供需对接 (seed 000 二(九): "推动建立动火作业单位和作业人员的供需平台，有效归集规范零散动火作业").
// A venue posts the hot work it needs done (需求); construction units answer (应征) with the certified workers they
// would send; the venue awards the work to one answer, and that unit applies for the hot-work permit as usual.
// Only workers whose certificates cover the whole requested period may be offered, and a unit under an active
// 信用惩戒 cannot take work here (联合惩戒), so scattered welding jobs go to units the town can see are qualified.
#include <nlohmann/json.hpp>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

// ?state=open|awarded|done|cancelled|expired&venueId=&q=&mine=true&page=&pageSize=. Officials see the requests at
// venues in their scope, a venue its own, a construction unit every open request and those it answered.
json list_work_requests(store::Db& db, const access::Caller& who, const QueryMap& q);
// With the answers the caller may see: all of them for the venue's side, a unit's own otherwise. The contact phone
// is shown to the venue's side and to the unit awarded the work.
json get_work_request(store::Db& db, const access::Caller& who, long long id);
// {venueId, title, description, place, methods[], windowStart, windowEnd, workersNeeded, budget?, contactName,
//  contactPhone}
json post_work_request(store::Db& db, const access::Caller& who, const json& body);
// By the venue's side: done {note?, rating?} (awarded → done), rate {rating} (a done request not yet rated; once)
// and cancel {reason} (open or awarded → cancelled). A rating (1-5) is of the awarded unit's work.
json run_work_request_command(store::Db& db, const access::Caller& who, long long id, const std::string& name,
                              const json& body);
// {unitId, peopleIds[], price?, note?}: a unit's answer, or its new answer replacing the one it gave before.
json submit_work_offer(store::Db& db, const access::Caller& who, long long request_id, const json& body);
// accept (the venue's side awards the work; the other answers are declined) or withdraw (the unit).
json run_work_offer_command(store::Db& db, const access::Caller& who, long long offer_id, const std::string& name);
// ?q=&page=&pageSize=: units with at least one worker holding a valid hot-work certificate, with their certified
// workers, chipped machines (加芯赋码), active credit marks and work awarded here.
json list_providers(store::Db& db, const QueryMap& q);
// Timers: an open request whose period starts within two days (or has started and not ended) without a unit chosen
// reminds its poster once (market.remind): none has answered yet, or how many answers wait. Returns the requests.
int run_market_reminders(store::Db& db);

}  // namespace huoyan::app
