#include "domain/hazard.h"

#include <algorithm>
#include <array>

namespace huoyan::hazard {

namespace {
struct StateInfo {
  State state;
  std::string_view key, label;
};
constexpr std::array<StateInfo, 4> kStates{{{State::Reported, "reported", "待交办"},
                                            {State::Rectifying, "rectifying", "整改中"},
                                            {State::AwaitingRecheck, "awaiting_recheck", "待复查"},
                                            {State::Closed, "closed", "已销号"}}};
}  // namespace

std::string_view state_key(State s) { return kStates[static_cast<size_t>(s)].key; }
std::string_view state_label(State s) { return kStates[static_cast<size_t>(s)].label; }
std::optional<State> parse_state(std::string_view key) {
  for (const auto& i : kStates)
    if (i.key == key) return i.state;
  return std::nullopt;
}

std::string_view command_key(Command c) {
  switch (c) {
    case Command::Assign: return "assign";
    case Command::Rectify: return "rectify";
    case Command::Recheck: return "recheck";
    case Command::Reopen: return "reopen";
  }
  return "";
}
std::string_view command_label(Command c) {
  switch (c) {
    case Command::Assign: return "交办";
    case Command::Rectify: return "整改";
    case Command::Recheck: return "复查";
    case Command::Reopen: return "重新打开";
  }
  return "";
}

std::optional<State> next_state(State from, Command c, bool passed) {
  switch (c) {
    case Command::Assign: return from == State::Reported ? std::optional(State::Rectifying) : std::nullopt;
    case Command::Rectify: return from == State::Rectifying ? std::optional(State::AwaitingRecheck) : std::nullopt;
    case Command::Recheck:
      if (from != State::AwaitingRecheck) return std::nullopt;
      return passed ? State::Closed : State::Rectifying;
    case Command::Reopen: return from == State::Closed ? std::optional(State::Rectifying) : std::nullopt;
  }
  return std::nullopt;
}

std::string add_working_days(const permit::Calendar& cal, const std::string& from, int working_days) {
  std::string day = from;
  // A calendar cannot hold more than a few weeks of rest in a row; the bound only guards bad data.
  for (int counted = 0, guard = 0; counted < working_days && guard < 3660; ++guard) {
    day = clock::add_days(day, 1);
    if (!cal.is_rest_day(day)) ++counted;
  }
  return day;
}

std::string default_deadline(const permit::Calendar& cal, const std::string& found_on, int category_days, bool major) {
  return add_working_days(cal, found_on, major ? std::max(category_days, 30) : std::max(category_days, 1));
}

clock::TimePoint end_of_local_day(const std::string& local_date) {
  return *clock::parse_iso(clock::add_days(local_date, 1)) - std::chrono::seconds(1);
}

clock::TimePoint report_verify_by(const permit::Calendar& cal, clock::TimePoint received, std::optional<int> verify_hours) {
  if (verify_hours) return received + std::chrono::hours(*verify_hours);
  return end_of_local_day(add_working_days(cal, clock::local_date(received), 3));
}

}  // namespace huoyan::hazard
