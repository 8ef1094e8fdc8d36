#include <gtest/gtest.h>

#include "domain/geo.h"
#include "domain/machine_rules.h"

using namespace huoyan;
using namespace huoyan::machine;

TEST(Geo, DistanceAndGeofence) {
  geo::Point jinfeng{29.4431, 106.3582};
  geo::Point east{29.4431, 106.3582 + 0.002};  // ~194 m east at this latitude
  double d = geo::distance_m(jinfeng, east);
  EXPECT_NEAR(d, 193.6, 1.5);
  EXPECT_TRUE(geo::within(east, 0, jinfeng, 200));
  EXPECT_FALSE(geo::within(east, 0, jinfeng, 150));
  EXPECT_TRUE(geo::within(east, 50, jinfeng, 150));  // the fix's accuracy is allowed for
  EXPECT_NEAR(geo::distance_m({29.56, 106.55}, {39.90, 116.40}), 1460000, 15000);  // 重庆 → 北京
}

namespace {
clock::TimePoint t0() { return *clock::parse_iso("2026-11-24T09:00:00+08:00"); }
Telemetry on(int minute, long long seq, std::optional<geo::Point> fix = std::nullopt) {
  Telemetry t;
  t.at = t0() + std::chrono::minutes(minute);
  t.seq = seq;
  t.power_on = true;
  t.current_a = 120;
  t.fix = fix;
  t.accuracy_m = 10;
  return t;
}
bool has(const std::vector<Warning>& w, const std::string& kind) {
  for (const auto& x : w)
    if (x.kind == kind) return true;
  return false;
}
}  // namespace

TEST(MachineRules, PowerOnWithoutSessionIsUnpermittedAndLocks) {
  MachineState s, next;
  auto w = on_telemetry(s, on(0, 1), std::nullopt, {}, next);
  ASSERT_TRUE(has(w, "unpermitted_power_on"));
  EXPECT_TRUE(w[0].lock);
  Telemetry off = on(1, 2);
  off.power_on = false;
  MachineState after;
  EXPECT_TRUE(on_telemetry(next, off, std::nullopt, {}, after).empty());
  EXPECT_FALSE(after.powered_since.has_value());
}

TEST(MachineRules, SessionRules) {
  Session session{t0() + std::chrono::hours(2), {29.4431, 106.3582}, 200, true, false};
  MachineState s, next;
  EXPECT_TRUE(on_telemetry(s, on(0, 1, geo::Point{29.4432, 106.3583}), session, {}, next).empty());
  auto late = on_telemetry(next, on(121, 2), session, {}, next);
  EXPECT_TRUE(has(late, "overtime"));
  auto far = on_telemetry(next, on(122, 3, geo::Point{29.4531, 106.3582}), session, {}, next);  // ~1.1 km north
  EXPECT_TRUE(has(far, "out_of_fence"));
  session.fire_watch_present = false;
  session.venue_open_now = true;
  auto left = on_telemetry(next, on(123, 4), session, {}, next);
  EXPECT_TRUE(has(left, "fire_watch_left"));
  EXPECT_TRUE(has(left, "work_while_open"));
}

TEST(MachineRules, TamperingSignals) {
  MachineState s, next;
  Session session{t0() + std::chrono::hours(30), {29.4431, 106.3582}, 200, true, false};
  on_telemetry(s, on(0, 10), session, {}, next);
  EXPECT_TRUE(has(on_telemetry(next, on(1, 3), session, {}, next), "suspected_modified"));   // sequence went back
  EXPECT_TRUE(has(on_telemetry(next, on(30, 4), session, {}, next), "suspected_modified"));  // 29 minutes of silence
  EXPECT_FALSE(has(on_telemetry(next, on(31, 5), session, {}, next), "suspected_modified"));
}

TEST(MachineRules, ContinuousPowerOverADay) {
  MachineState s, next;
  Session session{t0() + std::chrono::hours(48), {29.4431, 106.3582}, 200, true, false};
  on_telemetry(s, on(0, 1), session, {}, next);
  long long seq = 2;
  bool warned = false;
  for (int m = 5; m <= 25 * 60; m += 5) warned = has(on_telemetry(next, on(m, seq++), session, {}, next), "continuous_power") || warned;
  EXPECT_TRUE(warned);
}

TEST(MachineRules, CertificateExpiry) {
  EXPECT_EQ(certificate_warning("2026-11-21", "2026-11-22"), std::optional<std::string>("expired"));
  EXPECT_EQ(certificate_warning("2026-12-22", "2026-11-22"), std::optional<std::string>("expiring_30"));
  EXPECT_EQ(certificate_warning("2027-01-21", "2026-11-22"), std::optional<std::string>("expiring_60"));
  EXPECT_FALSE(certificate_warning("2027-01-22", "2026-11-22").has_value());
}
