#include "bench/match.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/machine_rules.h"

namespace huoyan::bench {

using namespace std::chrono;

nlohmann::json run_match(long long machines, long long events) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> near(-0.0005, 0.0005);
  std::vector<std::string> codes(static_cast<size_t>(machines));
  std::unordered_map<std::string, size_t> index;
  std::vector<machine::MachineState> states(codes.size());
  std::vector<std::optional<machine::Session>> sessions(codes.size());
  auto start_of_day = clock::now();
  for (size_t i = 0; i < codes.size(); ++i) {
    char code[32];
    std::snprintf(code, sizeof code, "SIM-%06zu", i + 1);
    codes[i] = code;
    index.emplace(codes[i], i);
    if (i % 10 != 0) sessions[i] = machine::Session{start_of_day + hours(8), {29.45 + near(rng), 106.35 + near(rng)}, 200, true, false};
  }
  const machine::Limits limits;
  machine::MachineState next;
  long long warnings = 0;
  machine::Telemetry t;
  t.power_on = true;
  t.current_a = 150;
  t.voltage_v = 24;
  t.accuracy_m = 8;
  auto started = steady_clock::now();
  for (long long e = 0; e < events; ++e) {
    const std::string& code = codes[static_cast<size_t>(e % machines)];
    size_t i = index.find(code)->second;
    machine::MachineState& state = states[i];
    t.seq = state.last ? state.last->seq + 1 : 1;
    t.at = start_of_day + seconds(e / machines * 10);
    const auto& session = sessions[i];
    t.fix = session ? session->venue : geo::Point{29.45, 106.35};
    warnings += static_cast<long long>(machine::on_telemetry(state, t, session, limits, next).size());
    state = next;
  }
  double secs = duration<double>(steady_clock::now() - started).count();
  return {{"machines", machines}, {"events", events}, {"seconds", secs}, {"eventsPerSecond", static_cast<long long>(events / secs)},
          {"warnings", warnings}};
}

}  // namespace huoyan::bench
