#pragma once
// In-process telemetry matching, for `make bench`: the warning rules of
// domain/machine_rules run over a fleet's state held in memory, each event
// first finding its machine by code, as the gateway does.
#include <nlohmann/json.hpp>

namespace huoyan::bench {

// Runs `events` telemetry events over `machines` machines (90 % in a work
// session with a geofence) on the calling thread; returns
// {machines, events, seconds, eventsPerSecond, warnings}.
nlohmann::json run_match(long long machines, long long events);

}  // namespace huoyan::bench
