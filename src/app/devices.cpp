#include "app/devices.h"

#include <sodium.h>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "app/alerts.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/input.h"
#include "app/personal_data.h"
#include "app/registries.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/geo.h"
#include "domain/machine_rules.h"
#include "domain/permit_rules.h"

namespace huoyan::app {

using namespace std::chrono;

DeviceCounters& device_counters() {
  static DeviceCounters c;
  return c;
}

namespace {

using clock::now_iso;

// Queues a command for the machine; the gateway or the machine's next batch delivers it.
long long queue_command(store::Conn& c, long long machine_id, const std::string& command, json payload) {
  payload["command"] = command;
  payload["issuedAt"] = now_iso();
  long long id = c.insert("INSERT INTO device_commands (machine_id, command, payload, state, created_at) VALUES (?, ?, ?, 'pending', ?)",
                          {machine_id, command, std::string("{}"), now_iso()});
  payload["id"] = id;
  c.exec("UPDATE device_commands SET payload = ? WHERE id = ?", {payload.dump(), id});
  return id;
}

ApiError scan_refused(const std::string& code, const std::string& message, const std::string& field = "") {
  return ApiError(409, code, message, field);
}

}  // namespace

std::string sign_body(const std::string& body, const std::string& secret) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

namespace {

// A message that parsed; its signature is checked against the machine's secret.
struct Parsed {
  std::string code, body_text, sig, type, event;
  machine::Telemetry t;
  long long command_id = 0;
};

bool valid_code(const std::string& code) {
  if (code.size() < 4 || code.size() > 32) return false;
  for (char ch : code)
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  return true;
}

// "" and the message, or the reason it is malformed or oversize.
std::string parse(const RawMessage& raw, Parsed& out) {
  if (raw.payload.size() > kMaxDeviceMessage) return "OVERSIZE";
  json envelope = json::parse(raw.payload, nullptr, false);
  if (!envelope.is_object() || !envelope.contains("code") || !envelope["code"].is_string() || !envelope.contains("body") ||
      !envelope["body"].is_string() || !envelope.contains("sig") || !envelope["sig"].is_string())
    return "MALFORMED";
  out.code = envelope["code"];
  if (!valid_code(out.code) || (!raw.topic_code.empty() && out.code != raw.topic_code)) return "MALFORMED";
  out.body_text = envelope["body"];
  out.sig = envelope["sig"];
  json m = json::parse(out.body_text, nullptr, false);
  if (!m.is_object() || !m.contains("code") || m["code"] != out.code || !m.contains("seq") || !m["seq"].is_number_integer() ||
      !m.contains("at") || !m["at"].is_string() || !m.contains("type") || !m["type"].is_string())
    return "MALFORMED";
  out.type = m["type"];
  auto at = clock::parse_iso(m["at"].get<std::string>());
  if (!at) return "MALFORMED";
  out.t.at = *at;
  out.t.seq = m["seq"];
  if (out.type == "telemetry") {
    if (!m.contains("power") || !m["power"].is_boolean()) return "MALFORMED";
    out.t.power_on = m["power"];
    for (const char* k : {"currentA", "voltageV", "lat", "lng", "accuracyM"})
      if (m.contains(k) && !m[k].is_number()) return "MALFORMED";
    out.t.current_a = m.value("currentA", 0.0);
    out.t.voltage_v = m.value("voltageV", 0.0);
    if (m.contains("lat") && m.contains("lng")) {
      double lat = m["lat"], lng = m["lng"];
      if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return "MALFORMED";
      out.t.fix = geo::Point{lat, lng};
    }
    out.t.accuracy_m = m.value("accuracyM", 0.0);
  } else if (out.type == "event") {
    static const std::set<std::string> events = {"scan", "tamper", "gas_over_limit", "temperature_over_limit"};
    if (!m.contains("event") || !m["event"].is_string() || !events.count(m["event"].get<std::string>())) return "MALFORMED";
    out.event = m["event"];
  } else if (out.type == "ack") {
    if (!m.contains("commandId") || !m["commandId"].is_number_integer()) return "MALFORMED";
    out.command_id = m["commandId"];
  } else {
    return "MALFORMED";
  }
  return "";
}

// Machine id and chip secret by code, kept a minute so that a fleet's traffic
// does not read them for every message; a secret issued here replaces its entry
// at once, one issued by another instance is picked up within the minute.
class SecretCache {
 public:
  struct Entry {
    long long id = 0;  // 0: no such machine, or no secret
    std::string secret;
    std::chrono::steady_clock::time_point fetched;
  };
  Entry get(store::Db& db, const std::string& code) {
    auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(code);
      if (it != entries_.end() && now - it->second.fetched < (it->second.id ? seconds(60) : seconds(5))) return it->second;
    }
    Entry e{0, "", now};
    db.read([&](store::Conn& c) {
      auto m = c.row("SELECT id, device_secret FROM machines WHERE code = ?", {code});
      if (m && (*m)["device_secret"].is_string()) e = {store::as_id((*m)["id"]), (*m)["device_secret"], now};
    });
    put(code, e);
    return e;
  }
  void put(const std::string& code, const Entry& e) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 500000) entries_.clear();
    entries_[code] = e;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};
SecretCache& secrets() {
  static SecretCache cache;
  return cache;
}

// Applies one machine's verified messages of a batch, in arrival order: one read
// of its state and work session, one write of its new state, so a busy machine
// costs the database two statements per batch rather than per message.
void apply_machine(store::Conn& c, long long machine_id, const std::vector<size_t>& which, const std::vector<Parsed>& parsed,
                   std::vector<std::string>& outcome) {
  auto row = c.row("SELECT st.last_seq, st.last_at, st.power_on, st.powered_since, s.until, p.venue_id, p.state AS permit_state, "
                   "p.fire_watch_checked_in_at, v.lat, v.lng, v.geofence_radius, v.type, v.crowded, v.opening_hours, v.closed_dates "
                   "FROM machines m LEFT JOIN machine_state st ON st.machine_id = m.id "
                   "LEFT JOIN machine_sessions s ON s.machine_id = m.id AND s.ended_at IS NULL "
                   "LEFT JOIN permits p ON p.id = s.permit_id LEFT JOIN venues v ON v.id = p.venue_id "
                   "WHERE m.id = ? ORDER BY s.id DESC LIMIT 1",
                   {machine_id});
  const json& r = *row;
  machine::MachineState state;
  if (r["last_at"].is_string()) {
    machine::Telemetry last;
    last.seq = store::as_id(r["last_seq"]);
    last.at = *clock::parse_iso(r["last_at"].get<std::string>());
    last.power_on = store::as_id(r["power_on"]) != 0;
    state.last = last;
    if (r["powered_since"].is_string()) state.powered_since = clock::parse_iso(r["powered_since"].get<std::string>());
  }
  std::optional<machine::Session> session;
  std::optional<long long> venue_id;
  permit::BusinessHours hours;
  bool check_open_hours = false;
  if (r["until"].is_string()) {
    machine::Session sess;
    sess.until = *clock::parse_iso(r["until"].get<std::string>());
    bool located = r["lat"].is_number();
    sess.venue = {located ? r["lat"].get<double>() : 0, located ? r["lng"].get<double>() : 0};
    sess.geofence_m = located ? static_cast<double>(store::as_id(r["geofence_radius"])) : 1e9;
    sess.fire_watch_present = r["fire_watch_checked_in_at"].is_string() && r["permit_state"] != "suspended";
    // Hospitals, care homes, schools and training centres may work while open under a permit's
    // mitigations (checked at approval); other crowded places may not.
    check_open_hours = store::as_id(r["crowded"]) != 0 && !permit::may_work_while_open(r["type"]);
    if (check_open_hours) hours = venue_hours(r["opening_hours"], r["closed_dates"]);
    session = sess;
    venue_id = store::as_id(r["venue_id"]);
  }
  bool changed = false;
  std::optional<geo::Point> fix;
  double accuracy = 0;
  for (size_t i : which) {
    const Parsed& m = parsed[i];
    const std::string& code = m.code;
    if (m.type == "ack") {
      c.exec("UPDATE device_commands SET state = 'acked', acked_at = ? WHERE id = ? AND machine_id = ?", {now_iso(), m.command_id, machine_id});
      continue;
    }
    if (m.type == "event") {
      if (m.event == "gas_over_limit" || m.event == "temperature_over_limit" || m.event == "tamper") {
        bool tamper = m.event == "tamper";
        open_alert(c, {tamper ? "suspected_modified" : "gas_over_limit", "critical", "machine", std::to_string(machine_id), venue_id,
                       "焊机 " + code + (tamper ? " 报告外壳或芯片被拆动" : " 检测到可燃气体或温度超限，已锁机"), "", code});
        if (!tamper) {
          queue_command(c, machine_id, "lock", {{"reason", "可燃气体或温度超限"}});
          c.exec("UPDATE machine_sessions SET ended_at = ?, end_reason = 'gas_over_limit' WHERE machine_id = ? AND ended_at IS NULL",
                 {now_iso(), machine_id});
          session.reset();
        }
      }
      continue;
    }
    // Telemetry: replay protection by sequence, then the warning rules.
    const machine::Telemetry& t = m.t;
    if (state.last && t.seq == state.last->seq && t.at == state.last->at) {
      outcome[i] = "REPLAYED";
      continue;
    }
    if (session && check_open_hours) session->venue_open_now = permit::window_touches_open_hours({t.at, t.at + seconds(1)}, hours);
    machine::MachineState next;
    auto warnings = machine::on_telemetry(state, t, session, {}, next);
    state = next;
    changed = true;
    if (t.fix) {
      fix = t.fix;
      accuracy = t.accuracy_m;
    }
    for (const auto& w : warnings) {
      bool opened = open_alert(c, {w.kind, w.severity, "machine", std::to_string(machine_id), venue_id, "焊机 " + code + "：" + w.message, "", code});
      if (opened && w.lock) queue_command(c, machine_id, "lock", {{"reason", w.message}});
    }
  }
  if (!changed) return;
  const machine::Telemetry& last = *state.last;
  // Without a new fix the last known position stays.
  c.exec("INSERT INTO machine_state (machine_id, last_seq, last_at, power_on, powered_since, lat, lng, accuracy, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id) DO UPDATE SET last_seq = excluded.last_seq, "
         "last_at = excluded.last_at, power_on = excluded.power_on, powered_since = excluded.powered_since, "
         "lat = COALESCE(excluded.lat, machine_state.lat), lng = COALESCE(excluded.lng, machine_state.lng), "
         "accuracy = COALESCE(excluded.accuracy, machine_state.accuracy), updated_at = excluded.updated_at",
         {machine_id, last.seq, clock::iso_utc(last.at), static_cast<long long>(last.power_on),
          state.powered_since ? store::Value(clock::iso_utc(*state.powered_since)) : store::Value(nullptr),
          fix ? store::Value(fix->lat) : store::Value(nullptr), fix ? store::Value(fix->lng) : store::Value(nullptr),
          fix ? store::Value(accuracy) : store::Value(nullptr), now_iso()});
}

void count(const std::string& outcome) {
  auto& k = device_counters();
  if (outcome.empty()) k.accepted++;
  else if (outcome == "MALFORMED") k.malformed++;
  else if (outcome == "OVERSIZE") k.oversize++;
  else if (outcome == "BAD_SIGNATURE") k.bad_signature++;
  else if (outcome == "UNKNOWN_MACHINE") k.unknown_machine++;
  else if (outcome == "REPLAYED") k.replayed++;
}

struct CommandSignal {
  std::mutex mutex;
  std::condition_variable cv;
  bool pending = false;
};
CommandSignal& command_signal() {
  static CommandSignal s;
  return s;
}

}  // namespace

json issue_device_secret(store::Db& db, const access::Caller& who, long long machine_id) {
  std::string secret = random_token(32);
  json out = db.write([&](store::Conn& c) {
    auto code = c.text("SELECT code FROM machines WHERE id = ?", {machine_id});
    if (!code) throw not_found();
    c.exec("UPDATE machines SET device_secret = ?, updated_at = ? WHERE id = ?", {secret, now_iso(), machine_id});
    record(c, who, "machine.issue_secret", "machine", std::to_string(machine_id), nullptr, json{{"code", *code}});
    return json{{"machineId", machine_id}, {"code", *code}, {"secret", secret}};
  });
  secrets().put(out["code"], {machine_id, secret, std::chrono::steady_clock::now()});
  return out;
}

std::vector<std::string> ingest_messages(store::Db& db, const std::vector<RawMessage>& messages) {
  std::vector<std::string> outcome(messages.size());
  std::vector<Parsed> parsed(messages.size());
  std::vector<long long> machine_of(messages.size(), 0);
  std::vector<size_t> verified;
  for (size_t i = 0; i < messages.size(); ++i) {
    outcome[i] = parse(messages[i], parsed[i]);
    if (!outcome[i].empty()) continue;
    auto entry = secrets().get(db, parsed[i].code);
    if (!entry.id) {
      outcome[i] = "UNKNOWN_MACHINE";
      continue;
    }
    std::string expected = sign_body(parsed[i].body_text, entry.secret);
    const std::string& given = parsed[i].sig;
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      outcome[i] = "BAD_SIGNATURE";
      continue;
    }
    machine_of[i] = entry.id;
    verified.push_back(i);
  }
  if (!verified.empty()) {
    long long commands_before = 0, commands_after = 0;
    auto apply_all = [&](const std::vector<size_t>& which) {
      std::map<long long, std::vector<size_t>> by_machine;  // each machine's messages, in arrival order
      for (size_t i : which) by_machine[machine_of[i]].push_back(i);
      db.write([&](store::Conn& c) {
        commands_before = c.scalar("SELECT COALESCE(MAX(id), 0) FROM device_commands");
        for (const auto& [machine_id, messages] : by_machine) apply_machine(c, machine_id, messages, parsed, outcome);
        commands_after = c.scalar("SELECT COALESCE(MAX(id), 0) FROM device_commands");
      });
    };
    try {
      apply_all(verified);
    } catch (const std::exception&) {
      // One bad message must not sink the batch: apply them one by one, keeping what works.
      for (size_t i : verified) {
        try {
          outcome[i].clear();
          apply_all({i});
        } catch (const std::exception& e) {
          spdlog::error("device message from {} failed: {}", parsed[i].code, e.what());
          outcome[i] = "MALFORMED";
        }
      }
    }
    if (commands_after != commands_before) signal_commands();
  }
  for (const auto& o : outcome) count(o);
  return outcome;
}

json ingest_batch(store::Db& db, const json& body) {
  if (!body.contains("messages") || !body["messages"].is_array()) throw bad_request("REQUIRED", "请提供 messages 数组", "messages");
  if (body["messages"].size() > 500) throw bad_request("INVALID_VALUE", "一次最多 500 条消息", "messages");
  std::vector<RawMessage> raw;
  for (const auto& m : body["messages"]) raw.push_back({m.dump(), ""});
  auto outcome = ingest_messages(db, raw);
  json rejected = json::array();
  std::set<std::string> codes;
  long long accepted = 0;
  for (size_t i = 0; i < outcome.size(); ++i) {
    if (outcome[i].empty()) {
      ++accepted;
      codes.insert(body["messages"][i]["code"].get<std::string>());  // accepted, so the envelope had a valid code
    } else {
      rejected.push_back({{"index", i}, {"code", outcome[i]}});
    }
  }
  json commands = json::array();
  db.write([&](store::Conn& c) {
    for (const auto& code : codes)
      for (const auto& cmd : c.rows("SELECT d.id, d.payload FROM device_commands d JOIN machines m ON m.id = d.machine_id "
                                    "WHERE m.code = ? AND d.state = 'pending' ORDER BY d.id", {code})) {
        json payload = json::parse(cmd["payload"].get<std::string>());
        payload["code"] = code;
        commands.push_back(payload);
        c.exec("UPDATE device_commands SET state = 'sent', sent_at = ? WHERE id = ?", {now_iso(), store::as_id(cmd["id"])});
      }
  });
  return json{{"accepted", accepted}, {"rejected", rejected}, {"commands", commands}};
}

json scan_to_start(store::Db& db, const access::Caller& who, const json& body) {
  Input in(body);
  std::string code = in.str("code", 32, "焊机编码");
  for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!in.has("lat")) throw bad_request("REQUIRED", "扫码开机需要手机定位，请允许获取位置", "lat");
  if (!in.has("lng")) throw bad_request("REQUIRED", "扫码开机需要手机定位，请允许获取位置", "lng");
  double lat = in.number("lat", "纬度", -90, 90);
  double lng = in.number("lng", "经度", -180, 180);
  double accuracy = in.opt_number("accuracyM", "定位精度", 0, 5000).value_or(50);
  auto now = clock::now();
  std::string today = clock::today();
  json out = db.write([&](store::Conn& c) {
    auto machine = c.row("SELECT id, status FROM machines WHERE code = ?", {code});
    if (!machine) throw bad_request("MACHINE_NOT_FOUND", "未找到该焊机，请确认二维码", "code");
    long long machine_id = store::as_id((*machine)["id"]);
    if ((*machine)["status"] != "active") throw scan_refused("MACHINE_LOCKED", "该焊机已停用或被锁定，不能开机");
    if (c.row("SELECT id FROM alerts WHERE source_type = 'machine' AND source_id = ? AND severity = 'critical' AND state IN ('open', 'acknowledged')",
              {std::to_string(machine_id)}))
      throw scan_refused("MACHINE_LOCKED", "该焊机有未处置的严重预警，处置后才能开机");
    auto person = c.row("SELECT id, citizen_id, name FROM people WHERE user_id = ?", {who.user_id});
    if (!person) throw scan_refused("SCANNER_NOT_REGISTERED", "您的账号未登记为作业人员，不能扫码开机");
    long long person_id = store::as_id((*person)["id"]);
    // A valid certificate of the scanner's own, today.
    std::string cert_problem = "您没有登记焊接作业证书";
    bool cert_ok = false;
    permit::Window today_window{now, now + minutes(1)};
    for (const auto& ce : c.rows("SELECT c.kind, c.number, c.status, c.valid_until, c.next_review, hp.citizen_id AS holder "
                                 "FROM certificates c JOIN people hp ON hp.id = c.person_id WHERE c.person_id = ?", {person_id})) {
      auto v = permit::check_certificate(certificate_facts(c.db(), ce), personal::open(c.db(), (*person)["citizen_id"].get<std::string>()),
                                         today_window);
      if (!v) {
        cert_ok = true;
        break;
      }
      cert_problem = v->message;
    }
    if (!cert_ok) throw scan_refused("CERT_INVALID", cert_problem);
    // A permit in its window that names this welder and this machine.
    auto p = c.row("SELECT p.id, p.number, p.planned_end, p.venue_id, p.state, v.lat, v.lng, v.geofence_radius "
                   "FROM permits p JOIN permit_workers w ON w.permit_id = p.id JOIN permit_machines pm ON pm.permit_id = p.id "
                   "JOIN venues v ON v.id = p.venue_id WHERE w.person_id = ? AND pm.machine_id = ? "
                   "AND p.state IN ('approved', 'in_progress') AND p.planned_start <= ? AND p.planned_end > ? ORDER BY p.id LIMIT 1",
                   {person_id, machine_id, clock::iso_utc(now + minutes(15)), clock::iso_utc(now)});
    if (!p) throw scan_refused("NO_PERMIT", "没有在有效时间内、同时列明您和这台焊机的已批准动火作业证");
    long long permit_id = store::as_id((*p)["id"]);
    geo::Point here{lat, lng};
    if ((*p)["lat"].is_number()) {
      geo::Point venue{(*p)["lat"].get<double>(), (*p)["lng"].get<double>()};
      if (!geo::within(here, accuracy, venue, static_cast<double>(store::as_id((*p)["geofence_radius"]))))
        throw scan_refused("SCAN_OUT_OF_FENCE", "扫码位置不在作业场所范围内（距场所约 " +
                                                    std::to_string(static_cast<int>(geo::distance_m(here, venue))) + " 米）");
    }
    auto fix = c.row("SELECT lat, lng, accuracy FROM machine_state WHERE machine_id = ? AND lat IS NOT NULL", {machine_id});
    if (fix) {
      geo::Point machine_at{(*fix)["lat"].get<double>(), (*fix)["lng"].get<double>()};
      double d = geo::distance_m(here, machine_at);
      if (d - accuracy - (*fix)["accuracy"].get<double>() > 300) {
        open_alert(c, {"far_scan", "warning", "machine", std::to_string(machine_id), store::as_id((*p)["venue_id"]),
                       "焊机 " + code + " 远距离扫码（扫码位置距焊机约 " + std::to_string(static_cast<int>(d)) + " 米）", "", code});
        throw scan_refused("SCAN_FAR_FROM_MACHINE", "扫码位置距焊机过远，请在焊机旁扫码");
      }
    }
    std::string until = (*p)["planned_end"];
    c.exec("UPDATE machine_sessions SET ended_at = ?, end_reason = 'replaced' WHERE machine_id = ? AND ended_at IS NULL",
           {now_iso(), machine_id});
    long long session = c.insert("INSERT INTO machine_sessions (machine_id, permit_id, person_id, user_id, started_at, until) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 {machine_id, permit_id, person_id, who.user_id, now_iso(), until});
    long long command = queue_command(c, machine_id, "unlock", {{"sessionId", session}, {"until", until}});
    record(c, who, "machine.scan_start", "machine", std::to_string(machine_id), nullptr,
           json{{"permit", (*p)["number"]}, {"session", session}});
    return json{{"sessionId", session}, {"machineCode", code}, {"permitId", permit_id}, {"permitNumber", (*p)["number"]},
                {"until", until}, {"commandId", command}, {"message", "已解锁，可在 " + clock::local_hhmm(*clock::parse_iso(until)) + " 前作业"}};
  });
  signal_commands();
  return out;
}

void signal_commands() {
  auto& s = command_signal();
  {
    std::lock_guard lock(s.mutex);
    s.pending = true;
  }
  s.cv.notify_all();
}

void wait_for_commands(std::chrono::milliseconds at_most) {
  auto& s = command_signal();
  std::unique_lock lock(s.mutex);
  s.cv.wait_for(lock, at_most, [&] { return s.pending; });
  s.pending = false;
}

json take_pending_commands(store::Db& db, int limit) {
  return db.write([&](store::Conn& c) {
    // Pending ones, and sent ones the machine has not acknowledged within 30 s: at least once.
    json rows = c.rows("SELECT d.id, m.code, d.payload FROM device_commands d JOIN machines m ON m.id = d.machine_id "
                       "WHERE d.state = 'pending' OR (d.state = 'sent' AND d.sent_at < ?) ORDER BY d.id LIMIT ?",
                       {clock::iso_utc(clock::now() - seconds(30)), static_cast<long long>(limit)});
    json out = json::array();
    for (const auto& r : rows) {
      json payload = json::parse(r["payload"].get<std::string>());
      payload["code"] = r["code"];
      out.push_back(payload);
      c.exec("UPDATE device_commands SET state = 'sent', sent_at = ? WHERE id = ?", {now_iso(), store::as_id(r["id"])});
    }
    return out;
  });
}

int run_device_timers(store::Db& db) {
  int ended = db.write([&](store::Conn& c) {
    int n = 0;
    for (const auto& s : c.rows("SELECT id, machine_id FROM machine_sessions WHERE ended_at IS NULL AND until <= ?", {now_iso()})) {
      c.exec("UPDATE machine_sessions SET ended_at = ?, end_reason = 'window_end' WHERE id = ?", {now_iso(), store::as_id(s["id"])});
      queue_command(c, store::as_id(s["machine_id"]), "lock", {{"reason", "动火作业证有效时间已到"}});
      ++n;
    }
    return n;
  });
  if (ended) signal_commands();
  return ended;
}

}  // namespace huoyan::app
