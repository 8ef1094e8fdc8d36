#include "app/personal_data.h"

#include "domain/validate.h"

namespace huoyan::app::personal {

std::string seal(const store::Db& db, std::string_view plain) {
  return plain.empty() ? std::string() : db.field_key().seal(plain);
}

std::string open(const store::Db& db, std::string_view stored) { return db.field_key().open_stored(stored); }

void open_field(const store::Db& db, nlohmann::json& row, const char* field) {
  auto it = row.find(field);
  if (it != row.end() && it->is_string()) *it = open(db, it->get<std::string>());
}

void open_phones(const store::Db& db, nlohmann::json& row, std::initializer_list<const char*> fields, bool full) {
  for (const char* field : fields) {
    open_field(db, row, field);
    auto it = row.find(field);
    if (!full && it != row.end() && it->is_string() && !it->get<std::string>().empty()) *it = validate::mask_phone(it->get<std::string>());
  }
}

store::Value lookup(const store::Db& db, std::string_view plain) {
  if (plain.empty()) return nullptr;
  return db.field_key().lookup_hash(plain);
}

// Rows without a hash are the ones stored in the clear (every write sets it): found through the hash's index.
void seal_stored_in_clear(store::Db& db) {
  db.write([&](store::Conn& c) {
    for (const auto& p : c.rows("SELECT id, citizen_id, phone FROM people WHERE citizen_id_hash IS NULL")) {
      std::string citizen_id = p["citizen_id"], phone = p["phone"];
      c.exec("UPDATE people SET citizen_id = ?, citizen_id_hash = ?, phone = ?, phone_hash = ? WHERE id = ?",
             {seal(db, citizen_id), lookup(db, citizen_id), seal(db, phone), lookup(db, phone), store::as_id(p["id"])});
    }
    for (const auto& ce : c.rows("SELECT id, number FROM certificates WHERE number_hash IS NULL")) {
      std::string number = ce["number"];
      c.exec("UPDATE certificates SET number = ?, number_hash = ? WHERE id = ?",
             {seal(db, number), lookup(db, number), store::as_id(ce["id"])});
    }
    for (const auto& u : c.rows("SELECT id, phone FROM users WHERE phone_hash IS NULL")) {
      std::string phone = u["phone"];
      c.exec("UPDATE users SET phone = ?, phone_hash = ? WHERE id = ?", {seal(db, phone), lookup(db, phone), store::as_id(u["id"])});
    }
    // Phones without a hash are found by a scan: once, at the first start that knows them all.
    if (!c.row("SELECT value FROM settings WHERE key = 'contact_phones_sealed'")) {
      seal_contact_phones(c);
      c.exec("INSERT INTO settings (key, value) VALUES ('contact_phones_sealed', '1')");
    }
  });
}

namespace {
// Phones stored sealed and never looked up (no hash): table, column.
constexpr std::pair<const char*, const char*> kContactPhones[] = {
    {"public_reports", "phone"},       {"venues", "principal_phone"},          {"venues", "fire_manager_phone"},
    {"units", "contact_phone"},        {"hazards", "responsible_phone"},       {"small_projects", "site_phone"},
    {"work_requests", "contact_phone"}};
}  // namespace

void seal_contact_phones(store::Conn& c) {
  for (const auto& [table, column] : kContactPhones) {
    std::string col(column), from(table);
    for (const auto& r : c.rows("SELECT id, " + col + " AS phone FROM " + from + " WHERE " + col + " <> '' AND " + col +
                                " NOT LIKE 'sm4:%'"))
      // PostgreSQL: sent together (pipelined) with the next statement rather than a round trip each.
      c.defer("UPDATE " + from + " SET " + col + " = ? WHERE id = ?", {seal(c.db(), r["phone"].get<std::string>()), store::as_id(r["id"])});
  }
}

}  // namespace huoyan::app::personal
