#pragma once
// The device side of 焊机"加芯赋码": chip credentials, signed messages from
// machines (telemetry and events), scan-to-start by a certified welder, and
// the unlock/lock command outbox. Transport-neutral: the HTTP batch route and
// the MQTT gateway both call these.
#include <atomic>
#include <chrono>
#include <vector>
#include <nlohmann/json.hpp>
#include <string>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

using nlohmann::json;

constexpr size_t kMaxDeviceMessage = 2048;  // bytes of one message

// Counters of dropped messages, shown in /metrics.
struct DeviceCounters {
  std::atomic<long long> accepted{0}, malformed{0}, oversize{0}, bad_signature{0}, unknown_machine{0}, replayed{0};
};
DeviceCounters& device_counters();

// A message is an envelope {"code", "body", "sig"}: `body` is the message's
// JSON as text and `sig` the hex HMAC-SHA256 of exactly those bytes with the
// machine's secret (docs/device-protocol.md), so no re-encoding can break it.
std::string sign_body(const std::string& body, const std::string& secret);

// Issues a new chip secret for a machine (replacing any old one); returns it once.
json issue_device_secret(store::Db& db, const access::Caller& who, long long machine_id);

// A raw message as it arrived, with the machine its MQTT topic names ("" over HTTP).
struct RawMessage {
  std::string payload;
  std::string topic_code;
};

// Messages from machines, in arrival order: each is parsed and its signature
// checked outside the database (secrets are cached), then all that pass are
// applied in one transaction. Returns, per message, "" when accepted or the
// reason it was dropped (MALFORMED, OVERSIZE, BAD_SIGNATURE, UNKNOWN_MACHINE,
// REPLAYED), and counts each outcome in device_counters().
std::vector<std::string> ingest_messages(store::Db& db, const std::vector<RawMessage>& messages);
inline std::string ingest_message(store::Db& db, const std::string& raw, const std::string& topic_code = "") {
  return ingest_messages(db, {{raw, topic_code}})[0];
}

// POST /api/devices/messages: {messages: [raw message objects]} → counts and the
// machines' pending commands.
json ingest_batch(store::Db& db, const json& body);

// A welder's scan of a machine's QR code: every check, then a work session and an unlock command.
json scan_to_start(store::Db& db, const access::Caller& who, const json& body);

// Wakes the MQTT publisher when commands were queued (after the commit), and
// lets it wait for that with a time limit.
void signal_commands();
void wait_for_commands(std::chrono::milliseconds at_most);

// Commands to publish now (pending, or sent but unacknowledged for 30 s), for the
// MQTT gateway; marks them sent.
json take_pending_commands(store::Db& db, int limit);

// Ends sessions whose permit window is over and queues `lock`.
int run_device_timers(store::Db& db);

}  // namespace huoyan::app
