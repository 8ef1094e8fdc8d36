#pragma once
// Registries behind hot work: venues (场所), units (单位), people (人员),
// certificates (证书数据库) and welding machines (焊机). Each write is one
// transaction with its audit row; reads and writes honour the data scope.
#include <nlohmann/json.hpp>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "domain/permit_rules.h"
#include "store/db.h"

namespace huoyan::app {

// The data-scope condition over a venue row aliased `v` (its village, its
// supervising departments, its manager); appends its parameters to `p`.
std::string venue_scope(const access::Caller& who, store::Params& p);
// The same over a unit row aliased `u`: town-wide, except that 仅本人 sees the units it registered and its own unit
// (the unit of the person record linked to the caller's account).
std::string unit_scope(const access::Caller& who, store::Params& p);

using nlohmann::json;
using access::Caller;

json list_venues(store::Db& db, const Caller& who, const QueryMap& q);
json get_venue(store::Db& db, const Caller& who, long long id);
// VENUE_NOT_FOUND (400, field venueId) unless the venue exists in the caller's scope: for records that name a venue.
void require_venue_in_scope(store::Db& db, const Caller& who, long long venue_id);
json create_venue(store::Db& db, const Caller& who, const json& body);
json update_venue(store::Db& db, const Caller& who, long long id, const json& body);
// Venue names for pickers (permit applicants see every venue's name and
// address, which are public anyway, but nothing else).
json venue_lookup(store::Db& db, const QueryMap& q);
// People for the permit form (job leader, fire watch, workers) across units:
// names, units, whether they have an account, and their certificates (numbers masked).
json people_lookup(store::Db& db, const QueryMap& q);
// The public address a venue's QR code points to (the report page).
std::string venue_public_path(const std::string& qr_token);

json list_units(store::Db& db, const Caller& who, const QueryMap& q);
json get_unit(store::Db& db, const Caller& who, long long id);
json create_unit(store::Db& db, const Caller& who, const json& body);
json update_unit(store::Db& db, const Caller& who, long long id, const json& body);

json list_people(store::Db& db, const Caller& who, const QueryMap& q);
json get_person(store::Db& db, const Caller& who, long long id);
// The person with full ID number and phone (theirs and their certificates'), for a holder of person:pii who gives a
// reason (2–100 characters); audited person.reveal with the reason. Every other read of people shows them masked.
json reveal_person(store::Db& db, const Caller& who, long long id, const json& body);
json create_person(store::Db& db, const Caller& who, const json& body);
json update_person(store::Db& db, const Caller& who, long long id, const json& body);

json list_certificates(store::Db& db, const Caller& who, const QueryMap& q);
json get_certificate(store::Db& db, const Caller& who, long long id);
json create_certificate(store::Db& db, const Caller& who, const json& body);
json update_certificate(store::Db& db, const Caller& who, long long id, const json& body);
json verify_certificate(store::Db& db, const Caller& who, long long id, const json& body);
json import_certificates(store::Db& db, const Caller& who, const json& body);
// The filtered certificate list as an .xlsx workbook (bytes).
std::string export_certificates_xlsx(store::Db& db, const Caller& who, const QueryMap& q);

// The data-scope condition over a machine row aliased `m`: town-wide, except that 仅本人 sees the machines it
// registered and those of its own unit.
std::string machine_scope(const Caller& who, store::Params& p);
// A machine as the registry shows it; NOT_FOUND outside the caller's scope.
json machine_by_id(store::Conn& c, const Caller& who, long long id);
// Registers {code, chipId?, unitId, kind, model?, status?} in the caller's transaction, audited; returns it.
json register_machine(store::Conn& c, const Caller& who, const json& body);
// Sets machine `id`'s status and, when given, binds `chip_id` to it, in the caller's transaction, audited
// (INVALID_VALUE on a malformed chip id, CHIP_ID_TAKEN when another machine carries it).
json set_machine_chip_status(store::Conn& c, const Caller& who, long long id, const std::optional<std::string>& chip_id,
                             const std::string& status);
json list_machines(store::Db& db, const Caller& who, const QueryMap& q);
json get_machine(store::Db& db, const Caller& who, long long id);
json create_machine(store::Db& db, const Caller& who, const json& body);
json update_machine(store::Db& db, const Caller& who, long long id, const json& body);

// A venue's stored opening hours and closing days (JSON text) for the rules;
// a range that ends at or before it starts runs past midnight.
permit::BusinessHours venue_hours(const std::string& opening_hours_json, const std::string& closed_dates_json);

// Certificate state on `today`: valid | expiring | expired | review_overdue | suspended | revoked.
std::string certificate_state(const std::string& status, const std::string& valid_until,
                              const std::string& next_review, const std::string& today);

// A certificate as permit::check_certificate takes it, from a certificates row (kind, number, status,
// valid_until, next_review) with its holder's stored citizen_id as `holder`: the sealed values opened.
permit::CertificateFacts certificate_facts(const store::Db& db, const json& row);

}  // namespace huoyan::app
