#pragma once
// The hazard (隐患) life cycle — 发现 → 交办 → 整改 → 复查 → 销号 — and the
// time limits behind it, counted on the town's holiday calendar. Pure.
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.h"
#include "domain/permit_rules.h"

namespace huoyan::hazard {

enum class State {
  Reported,         // 待交办: found, not yet handed to the responsible party
  Rectifying,       // 整改中
  AwaitingRecheck,  // 待复查: the venue has recorded its rectification
  Closed,           // 已销号
};
enum class Command { Assign, Rectify, Recheck, Reopen };

std::string_view state_key(State s);    // "awaiting_recheck"
std::string_view state_label(State s);  // "待复查"
std::optional<State> parse_state(std::string_view key);
std::string_view command_key(Command c);
std::string_view command_label(Command c);

// The state after `c` from `from` (for Recheck, `passed` picks the branch), or
// nullopt when `c` may not run there.
std::optional<State> next_state(State from, Command c, bool passed = true);

// The local date `working_days` working days after `from` (a local date): the
// days counted are the ones after `from` that are not rest days.
std::string add_working_days(const permit::Calendar& cal, const std::string& from, int working_days);

// Default rectification deadline: the category's days for a general hazard,
// and at least 30 working days for a major one (it needs a plan and often funds).
std::string default_deadline(const permit::Calendar& cal, const std::string& found_on, int category_days, bool major);

// When a public report must have been verified (公安部令第120号 第18条):
// `verify_hours` after it arrived when the category has them (24 h for
// blocked exits and disabled facilities), else the end of the third working day.
clock::TimePoint report_verify_by(const permit::Calendar& cal, clock::TimePoint received, std::optional<int> verify_hours);

// The end of a local date (the deadline's last second), as a time.
clock::TimePoint end_of_local_day(const std::string& local_date);

}  // namespace huoyan::hazard
