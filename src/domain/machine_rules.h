#pragma once
// Warning rules over welding-machine telemetry (焊机"加芯赋码"). Pure: the
// gateway feeds each machine's state and the facts it needs; the rules say
// which warnings to raise. Kinds match the alert_kind dictionary.
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/geo.h"

namespace huoyan::machine {

struct Telemetry {
  clock::TimePoint at;
  long long seq = 0;        // per machine, increases by one per message
  bool power_on = false;
  double current_a = 0, voltage_v = 0;
  std::optional<geo::Point> fix;
  double accuracy_m = 0;
};

// What the platform knows of a machine between messages.
struct MachineState {
  std::optional<Telemetry> last;
  std::optional<clock::TimePoint> powered_since;  // start of the current power-on run
};

// An active work session: a permitted welder unlocked this machine.
struct Session {
  clock::TimePoint until;           // the permit's planned end
  geo::Point venue;                 // the venue's position
  double geofence_m = 200;
  bool fire_watch_present = true;
  bool venue_open_now = false;      // the crowded place is in its opening hours
};

struct Warning {
  std::string kind;      // unpermitted_power_on, overtime, out_of_fence, continuous_power, suspected_modified, ...
  std::string severity;  // info | warning | critical
  std::string message;   // 中文
  bool lock = false;     // lock the machine at once
};

struct Limits {
  int continuous_power_hours = 24;
  int telemetry_gap_minutes = 10;  // silence while powered that suggests tampering
};

// Warnings for one telemetry message, given the state before it and the
// session the machine is in (if any). `next` receives the state after it.
std::vector<Warning> on_telemetry(const MachineState& before, const Telemetry& t, const std::optional<Session>& session,
                                  const Limits& limits, MachineState& next);

// 证书临期/到期: "expired", "expiring_30", "expiring_60" or nothing, for a
// certificate valid until `valid_until` (local date) on `today`.
std::optional<std::string> certificate_warning(const std::string& valid_until, const std::string& today);

}  // namespace huoyan::machine
