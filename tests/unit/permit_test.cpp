#include <gtest/gtest.h>

#include "domain/permit.h"
#include "domain/permit_rules.h"

using namespace huoyan;
using namespace huoyan::permit;

namespace {
clock::TimePoint at(const char* iso) { return *clock::parse_iso(iso); }
Window win(const char* a, const char* b) { return {at(a), at(b)}; }
}  // namespace

// The whole transition table, written out by hand: every command from every state.
TEST(PermitStateMachine, EveryCommandFromEveryState) {
  using S = State;
  using C = Command;
  const std::map<std::pair<S, C>, S> allowed = {
      {{S::Draft, C::Submit}, S::Submitted},         {{S::Submitted, C::Survey}, S::Surveyed},
      {{S::Surveyed, C::ConfirmRisk}, S::RiskConfirmed}, {{S::RiskConfirmed, C::Approve}, S::Approved},
      {{S::Submitted, C::Reject}, S::Draft},         {{S::Surveyed, C::Reject}, S::Draft},
      {{S::RiskConfirmed, C::Reject}, S::Draft},     {{S::Approved, C::Start}, S::InProgress},
      {{S::InProgress, C::Suspend}, S::Suspended},   {{S::Suspended, C::Resume}, S::InProgress},
      {{S::InProgress, C::Finish}, S::Watching},     {{S::Suspended, C::Finish}, S::Watching},
      {{S::Watching, C::Close}, S::Closed},
      {{S::Draft, C::Cancel}, S::Cancelled},         {{S::Submitted, C::Cancel}, S::Cancelled},
      {{S::Surveyed, C::Cancel}, S::Cancelled},      {{S::RiskConfirmed, C::Cancel}, S::Cancelled},
      {{S::Approved, C::Cancel}, S::Cancelled},
      {{S::Draft, C::Revoke}, S::Revoked},           {{S::Submitted, C::Revoke}, S::Revoked},
      {{S::Surveyed, C::Revoke}, S::Revoked},        {{S::RiskConfirmed, C::Revoke}, S::Revoked},
      {{S::Approved, C::Revoke}, S::Revoked},        {{S::InProgress, C::Revoke}, S::Revoked},
      {{S::Suspended, C::Revoke}, S::Revoked},       {{S::Watching, C::Revoke}, S::Revoked},
      {{S::Approved, C::Expire}, S::Expired},        {{S::InProgress, C::Expire}, S::Expired},
      {{S::Suspended, C::Expire}, S::Expired},
  };
  int checked = 0;
  for (S s : all_states())
    for (C c : all_commands()) {
      auto it = allowed.find({s, c});
      auto got = next_state(s, c);
      if (it == allowed.end()) {
        EXPECT_FALSE(got.has_value()) << state_key(s) << " --" << command_key(c) << "--> should be refused";
      } else {
        EXPECT_EQ(got, std::optional(it->second)) << state_key(s) << " --" << command_key(c);
      }
      ++checked;
    }
  EXPECT_EQ(checked, 12 * 13);
}

TEST(PermitStateMachine, KeysRoundTripAndTerminalStatesAreFinal) {
  for (State s : all_states()) {
    EXPECT_EQ(parse_state(state_key(s)), s);
    if (is_terminal(s)) {
      for (Command c : all_commands()) EXPECT_FALSE(next_state(s, c).has_value());
    }
  }
  EXPECT_FALSE(parse_state("bogus").has_value());
}

TEST(PermitLevel, RaisedOnceForRestDaysNightKeyPeriodsAndWind) {
  Calendar cal;
  cal.holidays = {"2026-10-01"};
  cal.workdays = {"2026-10-10"};  // a Saturday made a working day
  Settings s;
  // Tuesday 2026-11-24, 09:00-12:00: nothing raises it.
  auto plain = effective_level(Level::Two, win("2026-11-24T09:00:00+08:00", "2026-11-24T12:00:00+08:00"), false, 3, cal, {}, s);
  EXPECT_EQ(plain.level, Level::Two);
  EXPECT_TRUE(plain.reasons.empty());
  // A holiday.
  auto holiday = effective_level(Level::Two, win("2026-10-01T09:00:00+08:00", "2026-10-01T12:00:00+08:00"), false, {}, cal, {}, s);
  EXPECT_EQ(holiday.level, Level::One);
  // Saturday 2026-11-28 is a rest day; Saturday 2026-10-10 is a make-up working day.
  EXPECT_EQ(effective_level(Level::Two, win("2026-11-28T09:00:00+08:00", "2026-11-28T10:00:00+08:00"), false, {}, cal, {}, s).level, Level::One);
  EXPECT_EQ(effective_level(Level::Two, win("2026-10-10T09:00:00+08:00", "2026-10-10T10:00:00+08:00"), false, {}, cal, {}, s).level, Level::Two);
  // Night: 21:00-23:00 crosses 22:00; 05:00-07:00 crosses 06:00.
  EXPECT_EQ(effective_level(Level::One, win("2026-11-24T21:00:00+08:00", "2026-11-24T23:00:00+08:00"), false, {}, cal, {}, s).level, Level::Special);
  EXPECT_EQ(effective_level(Level::Two, win("2026-11-24T05:00:00+08:00", "2026-11-24T07:00:00+08:00"), false, {}, cal, {}, s).level, Level::One);
  // Key period.
  std::vector<KeyPeriod> keys = {{"两会", win("2026-11-20T00:00:00+08:00", "2026-11-30T00:00:00+08:00")}};
  auto key = effective_level(Level::Two, win("2026-11-24T09:00:00+08:00", "2026-11-24T12:00:00+08:00"), false, {}, cal, keys, s);
  EXPECT_EQ(key.level, Level::One);
  EXPECT_NE(key.reasons[0].find("两会"), std::string::npos);
  // Wind matters outdoors only; several reasons still raise one step.
  auto w = win("2026-11-28T21:00:00+08:00", "2026-11-28T23:00:00+08:00");
  EXPECT_EQ(effective_level(Level::Two, win("2026-11-24T09:00:00+08:00", "2026-11-24T10:00:00+08:00"), true, 5, cal, {}, s).level, Level::One);
  EXPECT_EQ(effective_level(Level::Two, win("2026-11-24T09:00:00+08:00", "2026-11-24T10:00:00+08:00"), false, 7, cal, {}, s).level, Level::Two);
  auto many = effective_level(Level::Two, w, true, 6, cal, keys, s);
  EXPECT_EQ(many.level, Level::One);
  EXPECT_EQ(many.reasons.size(), 4u);
  // Settings can switch a raise off.
  s.raise_at_night = false;
  EXPECT_EQ(effective_level(Level::One, win("2026-11-24T21:00:00+08:00", "2026-11-24T23:00:00+08:00"), false, {}, cal, {}, s).level, Level::One);
}

TEST(PermitWindow, MaximumLengthByLevel) {
  Settings s;
  EXPECT_FALSE(check_window(win("2026-11-24T08:00:00Z", "2026-11-24T16:00:00Z"), Level::One, s));
  auto too_long = check_window(win("2026-11-24T08:00:00Z", "2026-11-24T16:00:01Z"), Level::One, s);
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->code, "PERMIT_WINDOW_TOO_LONG");
  EXPECT_EQ(too_long->field, "plannedEnd");
  EXPECT_FALSE(check_window(win("2026-11-24T08:00:00Z", "2026-11-27T08:00:00Z"), Level::Two, s));
  EXPECT_TRUE(check_window(win("2026-11-24T08:00:00Z", "2026-11-27T08:01:00Z"), Level::Two, s));
  EXPECT_TRUE(check_window(win("2026-11-24T08:00:00Z", "2026-11-24T16:00:01Z"), Level::Special, s));
  EXPECT_EQ(check_window(win("2026-11-24T08:00:00Z", "2026-11-24T08:00:00Z"), Level::Two, s)->code, "PERMIT_WINDOW_INVALID");
}

namespace {
BusinessHours mall_hours() {
  BusinessHours h;
  for (int d = 0; d < 7; ++d) h.open[d] = {{10 * 60, 22 * 60}};  // 10:00-22:00 every day
  h.closed_dates = {"2026-11-25"};
  return h;
}
}  // namespace

TEST(PermitOpenHours, DetectsOverlapIncludingLateClosingAndClosedDays) {
  auto h = mall_hours();
  EXPECT_TRUE(window_touches_open_hours(win("2026-11-24T09:00:00+08:00", "2026-11-24T10:30:00+08:00"), h));
  EXPECT_FALSE(window_touches_open_hours(win("2026-11-24T06:00:00+08:00", "2026-11-24T10:00:00+08:00"), h));
  EXPECT_FALSE(window_touches_open_hours(win("2026-11-24T22:00:00+08:00", "2026-11-25T23:00:00+08:00"), h));  // 25th closed
  BusinessHours bar;
  bar.open[1] = {{20 * 60, 26 * 60}};  // Tuesday 20:00 to 02:00 Wednesday
  EXPECT_TRUE(window_touches_open_hours(win("2026-11-25T01:00:00+08:00", "2026-11-25T03:00:00+08:00"), bar));
  EXPECT_FALSE(window_touches_open_hours(win("2026-11-25T02:00:00+08:00", "2026-11-25T05:00:00+08:00"), bar));
}

TEST(PermitOpenHours, CrowdedPlaceRulesOfSeed000) {
  auto w = win("2026-11-24T14:00:00+08:00", "2026-11-24T16:00:00+08:00");
  VenueFacts mall{"mall", true, false, mall_hours()};
  EXPECT_EQ(check_open_hours(mall, w, {true, true, true})->code, "PERMIT_IN_BUSINESS_HOURS");
  VenueFacts ktv{"entertainment", true, true, mall_hours()};
  EXPECT_EQ(check_open_hours(ktv, w, {true, true, true})->code, "PERMIT_ENTERTAINMENT_OPEN");
  VenueFacts school{"school", true, false, mall_hours()};
  EXPECT_EQ(check_open_hours(school, w, {false, false, false})->code, "PERMIT_RISK_ASSESSMENT_REQUIRED");
  EXPECT_EQ(check_open_hours(school, w, {true, false, true})->code, "PERMIT_CONTROLS_UNASSIGNED");
  EXPECT_EQ(check_open_hours(school, w, {true, true, false})->code, "PERMIT_FIRE_SEPARATION_REQUIRED");
  EXPECT_FALSE(check_open_hours(school, w, {true, true, true}));
  // Outside opening hours nothing applies; a non-crowded place is not bound.
  EXPECT_FALSE(check_open_hours(ktv, win("2026-11-24T06:00:00+08:00", "2026-11-24T09:00:00+08:00"), {}));
  VenueFacts workshop{"factory_workshop", false, false, mall_hours()};
  EXPECT_FALSE(check_open_hours(workshop, w, {}));
}

TEST(PermitCertificate, AcceptedValidOwnAndReviewed) {
  const std::string id = "11010519491231002X";
  auto w = win("2026-11-24T09:00:00+08:00", "2026-11-26T12:00:00+08:00");
  CertificateFacts ok{"special_op_fusion", "T" + id, id, "valid", "2028-01-01", "2027-01-01"};
  EXPECT_FALSE(check_certificate(ok, id, w));

  auto c = ok;
  c.kind = "forklift";
  EXPECT_EQ(check_certificate(c, id, w)->code, "CERT_KIND_NOT_ACCEPTED");
  c = ok;
  c.status = "revoked";
  EXPECT_EQ(check_certificate(c, id, w)->code, "CERT_NOT_VALID");
  c = ok;
  c.number = "T440524188001010014";
  EXPECT_EQ(check_certificate(c, id, w)->code, "CERT_NUMBER_MISMATCH");
  EXPECT_EQ(check_certificate(ok, "440524188001010014", w)->code, "CERT_NOT_HOLDER");
  c = ok;
  c.valid_until = "2026-11-25";  // expires during the window
  EXPECT_EQ(check_certificate(c, id, w)->code, "CERT_EXPIRED");
  c.valid_until = "2026-11-26";  // valid on the last day
  EXPECT_FALSE(check_certificate(c, id, w));
  c = ok;
  c.next_review = "2026-11-25";
  EXPECT_EQ(check_certificate(c, id, w)->code, "CERT_REVIEW_OVERDUE");
  // 建筑焊工 numbers are not tied to the ID.
  CertificateFacts builder{"construction_welder", "渝A042023000123", id, "valid", "2027-06-30", ""};
  EXPECT_FALSE(check_certificate(builder, id, w));
}

TEST(PermitGas, ThresholdsAgeAndLatestRound) {
  Settings s;
  auto start = at("2026-11-24T09:00:00+08:00");
  EXPECT_DOUBLE_EQ(gas_threshold(5.0), 0.5);
  EXPECT_DOUBLE_EQ(gas_threshold(4.0), 0.5);
  EXPECT_DOUBLE_EQ(gas_threshold(2.5), 0.2);
  EXPECT_EQ(check_gas({}, start, s)->code, "GAS_ANALYSIS_MISSING");
  std::vector<GasSample> fresh = {{at("2026-11-24T08:40:00+08:00"), "甲烷", 5.0, 0.4}, {at("2026-11-24T08:41:00+08:00"), "氢气", 4.0, 0.1}};
  EXPECT_FALSE(check_gas(fresh, start, s));
  EXPECT_EQ(check_gas({{at("2026-11-24T08:29:00+08:00"), "甲烷", 5.0, 0.1}}, start, s)->code, "GAS_ANALYSIS_STALE");
  EXPECT_EQ(check_gas({{at("2026-11-24T08:50:00+08:00"), "乙炔", 2.5, 0.3}}, start, s)->code, "GAS_ANALYSIS_FAILED");
  // An earlier failed round is superseded by a passing re-test.
  std::vector<GasSample> retest = {{at("2026-11-24T08:35:00+08:00"), "甲烷", 5.0, 0.9}, {at("2026-11-24T08:50:00+08:00"), "甲烷", 5.0, 0.3}};
  EXPECT_FALSE(check_gas(retest, start, s));
}

TEST(PermitStateMachine, OneJobHoldsWorkersUntilFinishAndFireWatchUntilClose) {
  EXPECT_FALSE(holds_workers(State::Draft));
  EXPECT_TRUE(holds_workers(State::Submitted));
  EXPECT_TRUE(holds_workers(State::InProgress));
  EXPECT_TRUE(holds_workers(State::Suspended));
  EXPECT_FALSE(holds_workers(State::Watching));
  EXPECT_TRUE(holds_fire_watch(State::Watching));
  EXPECT_FALSE(holds_fire_watch(State::Closed));
  EXPECT_FALSE(holds_fire_watch(State::Expired));
}
