#pragma once
// `huoyan simulate`: a fleet of chipped welding machines publishing through
// the broker like real ones — a morning power-up storm, steady telemetry from
// permitted work sessions, and machines that power on without a permit at the
// given share — and acknowledging the commands the platform sends back.
// It registers its machines (SIM-000001, ...) in the database first.
#include <string>

#include "store/db.h"

namespace huoyan::iot {

struct SimulateOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  int machines = 200;
  double rate = 200;         // telemetry messages per second after the storm
  double violations = 0.05;  // share of machines that work without a permit
  int seconds = 60;          // 0: until interrupted
};

// Runs the fleet; returns a process exit code. Prints progress and a summary.
int simulate(store::Db& db, const SimulateOptions& options);

}  // namespace huoyan::iot
