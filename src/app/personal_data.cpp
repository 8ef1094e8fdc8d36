#include "app/personal_data.h"

#include <stdexcept>

namespace huoyan::app::personal {

std::string seal(const store::Db& db, std::string_view plain) {
  return plain.empty() ? std::string() : db.field_key().seal(plain);
}

std::string open(const store::Db& db, std::string_view stored) {
  if (stored.empty()) return {};
  auto plain = db.field_key().open(stored);
  if (!plain) throw std::runtime_error("a sealed personal value does not open with the field key (altered in the database?)");
  return *plain;
}

void open_field(const store::Db& db, nlohmann::json& row, const char* field) {
  auto it = row.find(field);
  if (it != row.end() && it->is_string()) *it = open(db, it->get<std::string>());
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
    for (const auto& r : c.rows("SELECT id, phone FROM public_reports WHERE phone <> '' AND phone NOT LIKE 'sm4:%'"))
      c.exec("UPDATE public_reports SET phone = ? WHERE id = ?", {seal(db, r["phone"].get<std::string>()), store::as_id(r["id"])});
  });
}

}  // namespace huoyan::app::personal
