#pragma once
// First start and demo data.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/db.h"

namespace huoyan::app {

struct BootstrapResult {
  int migrations_applied = 0;
  // Set when this call created the first administrator: the one-time
  // initial password, to be printed once. The admin must change it at first login.
  std::optional<std::string> initial_admin_password;
};

// Migrates, loads the field key, creates missing built-in roles, the town root and, on an empty
// database, the first administrator `admin`. Safe to run at every start.
BootstrapResult bootstrap(store::Db& db, const std::string& town_name);

// Gives `db` its field key (domain/field_cipher.h) from db.key_file(), creating the file (mode 0600) for a
// database that has no key yet; an in-memory database gets a key of its own. The database keeps the key's
// check value: a start with another key file, or without the file once the database has a key, is refused.
void load_field_key(store::Db& db);

// Inserts an org unit under `parent` (0 for the root) and sets its path.
long long add_org(store::Conn& c, long long parent, const std::string& parent_path, const std::string& kind,
                  const std::string& name, const std::string& code, int sort);

// Loads the demo town (金凤镇: departments, villages, grids, people). On a
// database that already holds the demo it loads nothing and returns the same
// logins; it refuses any other database that has users besides `admin`.
// Every demo account's password is kDemoPassword and need not be changed.
constexpr const char* kDemoPassword = "Huoyan@2025";
struct DemoLogin {
  std::string username, name, role;
};
std::vector<DemoLogin> load_demo(store::Db& db);
// Part of load_demo: hazards in every state and public reports (after the registries).
void load_demo_hazards(store::Conn& c);
// Part of load_demo, after its transaction, through the use cases themselves: a published
// 双随机 draw, enforcement cases (一案双罚 and exposure, a referral and a credit mark).
void load_demo_use_cases(store::Db& db);

// `demo --scale city`: on top of the demo town, a city's records in consistent relations (units, venues with
// their supervising departments, people with certificates, machines, permits over two years in realistic
// states with their workers and machines, hazards in every state, a valid audit chain). `factor` scales every
// count (1 = the city of issue 6: 50,000 venues, 200,000 people and machines, 2,000,000 permits, 500,000
// hazards, 5,000,000 audit rows). Returns {seconds, steps: {name: seconds}, rows: {table: count}}.
struct CityScale {
  long long venues, people, machines, permits, hazards, audit, units;
};
CityScale city_scale(double factor);
nlohmann::json load_city(store::Db& db, const CityScale& s);

}  // namespace huoyan::app
