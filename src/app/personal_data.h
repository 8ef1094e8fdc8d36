#pragma once
// 等保 2.0 数据保密性 (重要个人信息): people's 身份证号 and phones, certificate numbers (a 特种作业操作证's is "T" +
// the holder's 身份证号), users' and public reporters' phones, and the phones of named contacts (venues' principals
// and fire-safety managers, units' contacts, hazards' responsible persons, small projects' site managers, work
// requests' contacts) are stored sealed under the field key
// (domain/field_cipher.h); the ones looked up have their keyed hash beside them (migration 0037: people
// citizen_id_hash and phone_hash, certificates number_hash, users phone_hash). What people read is opened, then masked unless
// the reader may see it in full (registries.cpp).
#include <nlohmann/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "store/db.h"

namespace huoyan::app::personal {

// The stored form of a personal value; "" stays "" (an optional phone left empty).
std::string seal(const store::Db& db, std::string_view plain);
// A stored value's plain text ("" for ""); throws if it does not open (field_cipher::Key::open_stored).
std::string open(const store::Db& db, std::string_view stored);
// Opens row[field] in place when it is a string (null stays null).
void open_field(const store::Db& db, nlohmann::json& row, const char* field);
// Opens the phones row[fields] in place (a missing or null one stays so), then masks them unless `full` (the
// reader may see them in full).
void open_phones(const store::Db& db, nlohmann::json& row, std::initializer_list<const char*> fields, bool full);
// The keyed hash stored beside a value, to find it by exact match; NULL for "".
store::Value lookup(const store::Db& db, std::string_view plain);

// Seals what an earlier version stored in the clear and fills the hashes (each start: nothing to do after the
// first). Needs the field key (bootstrap loads it first).
void seal_stored_in_clear(store::Db& db);
// Seals the contact phones stored in the clear (kContactPhones in personal_data.cpp), each row found by a scan:
// at the first start of this version (bootstrap), and after the city generator's bulk inserts.
void seal_contact_phones(store::Conn& c);

}  // namespace huoyan::app::personal
