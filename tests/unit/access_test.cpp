#include <gtest/gtest.h>

#include "domain/access.h"

using namespace huoyan::access;

namespace {
std::vector<std::string> permissions_of(std::string_view role) {
  for (const auto& r : builtin_roles())
    if (r.key == role) return {r.permissions.begin(), r.permissions.end()};
  ADD_FAILURE() << "no built-in role " << role;
  return {};
}
std::vector<Duty> duties_of(std::string_view role) {
  std::vector<Duty> out;
  for (const auto* d : duties_held(permissions_of(role))) out.push_back(d->duty);
  return out;
}
}  // namespace

// 三员分立: the three administrators' roles each hold one duty; the task force's admin holds all three (it cannot
// be used under separation of duties); business roles hold none.
TEST(Duties, BuiltInRolesHoldTheirOwnDutyOnly) {
  EXPECT_EQ(duties_of("sys_admin"), std::vector<Duty>{Duty::System});
  EXPECT_EQ(duties_of("sec_admin"), std::vector<Duty>{Duty::Security});
  EXPECT_EQ(duties_of("auditor"), std::vector<Duty>{Duty::Audit});
  EXPECT_EQ(duties_of("admin"), (std::vector<Duty>{Duty::System, Duty::Security, Duty::Audit}));
  for (auto role : {"officer", "grid", "venue_manager", "contractor", "welder", "fire_watch", "inspector", "unassigned"})
    EXPECT_TRUE(duties_of(role).empty()) << role;
  EXPECT_TRUE(permissions_of("unassigned").empty());
}

TEST(Duties, OnePermissionOfADutyIsEnoughToHoldIt) {
  EXPECT_EQ(duties_held({"permit:read", "dict:write"}).size(), 1u);
  EXPECT_EQ(duties_held({"loginlog:read", "role:assign"}).size(), 2u);
  EXPECT_TRUE(duties_held({"user:read", "role:read", "dict:read"}).empty());
  EXPECT_TRUE(duties_held({}).empty());
}

TEST(Duties, EveryDutyPermissionIsInTheCatalogueAndInOneDutyOnly) {
  std::set<std::string_view> seen;
  for (const auto& d : duties())
    for (auto p : d.permissions) {
      EXPECT_TRUE(is_permission(p)) << p;
      EXPECT_TRUE(seen.insert(p).second) << p << " in two duties";
    }
  for (const auto& r : builtin_roles())
    for (auto p : r.permissions) EXPECT_TRUE(is_permission(p)) << r.key << ": " << p;
}
