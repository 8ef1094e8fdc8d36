#pragma once
// Hot-work permits: one job, one permit, one set of measures. Each command
// is a use case: it checks who may run it, the state machine and the rules,
// then writes the change, its timeline event and its audit row in one
// transaction.
#include <nlohmann/json.hpp>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "domain/permit.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;
using access::Caller;

// Answers are JSON text written straight from the rows. A write answers with the permit as its detail shows
// it, read after the write has committed.
std::string list_permits(store::Db& db, const Caller& who, const QueryMap& q);
// {total}: how many permits the list with the same filters holds (asked apart, so that the list's pages do not count).
std::string count_permits(store::Db& db, const Caller& who, const QueryMap& q);
std::string permit_board(store::Db& db, const Caller& who, const QueryMap& q);
// {date, columns: [{state, label, count}]}: how many permits each column of the same board holds (home pages).
nlohmann::json permit_board_counts(store::Db& db, const Caller& who, const QueryMap& q);
std::string get_permit(store::Db& db, const Caller& who, long long id);
std::string create_permit(store::Db& db, const Caller& who, const json& body);
std::string update_permit(store::Db& db, const Caller& who, long long id, const json& body);

// The commands (submit, survey, confirm-risk, approve, reject, start, suspend,
// resume, finish, close, cancel, revoke) and the recording steps (check-in,
// gas-analyses, rounds). `name` is the route's last segment.
std::string run_permit_command(store::Db& db, const Caller& who, long long id, const std::string& name, const json& body);

// Public page data (一证一码): no personal data. nullopt when the token is unknown.
std::optional<json> public_permit(store::Db& db, const std::string& token);
// Printable A4 HTML: the permit itself, or the public notice (动火公告).
std::string permit_print_html(store::Db& db, const Caller& who, long long id, const std::string& base_url, bool notice);

json measure_templates(store::Db& db);
// Replaces the checklist template; permits already created keep their own copy.
json replace_measure_templates(store::Db& db, const Caller& who, const json& body);

// Files a permit just written under its departments (permit_org_units: its venue's unit and the venue's
// supervising units). Every INSERT of a permit is followed by this, in the same transaction; a change of state
// or start updates the filing in the statement after it, and a change of venue refiles by trigger (migration 0040).
void file_new_permit(store::Conn& c, long long id, long long venue_id, const std::string& state, const std::string& planned_start);
// Files every permit anew under its departments: after a bulk load that ran without triggers.
void refile_permits_by_department(store::Conn& c);

// Timers: expire, overrun and late-round alerts. Returns how many changes it made.
int run_permit_timers(store::Db& db);

}  // namespace huoyan::app
