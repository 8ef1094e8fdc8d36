#include "iot/simulator.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <unordered_map>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vector>

#include "app/auth.h"
#include "app/devices.h"
#include "domain/clock.h"

namespace huoyan::iot {

using namespace std::chrono;
using nlohmann::json;

namespace {

struct SimMachine {
  std::string code, secret;
  double lat = 0, lng = 0;
  bool violator = false;
  long long seq = 0;
};

std::atomic<long long> acks_sent{0};

// Registers the fleet (idempotent), gives permitted machines a work session on
// a running permit, and returns the machines with their secrets and positions.
std::vector<SimMachine> prepare(store::Db& db, const SimulateOptions& o) {
  std::mt19937 rng(20261122);
  std::uniform_real_distribution<double> jitter(-0.0008, 0.0008);
  std::vector<SimMachine> fleet;
  db.write([&](store::Conn& c) {
    std::string now = clock::iso_utc(clock::now());
    json venues = c.rows("SELECT id, lat, lng FROM venues WHERE lat IS NOT NULL ORDER BY id");
    if (venues.empty()) throw std::runtime_error("数据库中没有带坐标的场所，请先载入演示数据（huoyan demo）");
    long long unit = c.scalar("SELECT COALESCE(MIN(id), 0) FROM units");
    auto running = c.row("SELECT p.id, p.venue_id, p.planned_end, w.person_id, COALESCE(pe.user_id, 1) AS user_id, v.lat, v.lng "
                         "FROM permits p JOIN permit_workers w ON w.permit_id = p.id JOIN people pe ON pe.id = w.person_id "
                         "JOIN venues v ON v.id = p.venue_id WHERE p.state = 'in_progress' AND p.planned_end > ? AND v.lat IS NOT NULL "
                         "ORDER BY p.planned_end DESC LIMIT 1",
                         {now});
    if (!running) std::cerr << "提示：没有进行中的动火作业证，所有模拟焊机都将按无证开机处理\n";
    long long have = c.scalar("SELECT COUNT(*) FROM machines WHERE code LIKE 'SIM-%'");
    for (long long i = have + 1; i <= o.machines; ++i) {
      char code[32];
      std::snprintf(code, sizeof code, "SIM-%06lld", i);
      c.exec("INSERT INTO machines (code, chip_id, unit_id, kind, model, status, device_secret, created_by, created_at, updated_at) "
             "VALUES (?, ?, ?, 'arc_welder', 'SIM-400', 'active', ?, 1, ?, ?)",
             {std::string(code), "SIMCHIP-" + std::string(code + 4), unit ? store::Value(unit) : store::Value(nullptr),
              app::random_token(16), now, now});
    }
    c.exec("UPDATE machine_sessions SET ended_at = ?, end_reason = 'simulation' WHERE ended_at IS NULL AND machine_id IN "
           "(SELECT id FROM machines WHERE code LIKE 'SIM-%')",
           {now});
    json rows = c.rows("SELECT id, code, device_secret FROM machines WHERE code LIKE 'SIM-%' ORDER BY code LIMIT ?",
                       {static_cast<long long>(o.machines)});
    long long seq_base = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    for (size_t i = 0; i < rows.size(); ++i) {
      SimMachine m;
      m.code = rows[i]["code"];
      m.secret = rows[i]["device_secret"];
      m.violator = !running || std::uniform_real_distribution<double>(0, 1)(rng) < o.violations;
      const json& at = m.violator ? venues[i % venues.size()] : *running;
      m.lat = at["lat"].get<double>() + jitter(rng);
      m.lng = at["lng"].get<double>() + jitter(rng);
      m.seq = seq_base;
      if (!m.violator)
        c.insert("INSERT INTO machine_sessions (machine_id, permit_id, person_id, user_id, started_at, until) VALUES (?, ?, ?, ?, ?, ?)",
                 {store::as_id(rows[i]["id"]), store::as_id((*running)["id"]), store::as_id((*running)["person_id"]),
                  store::as_id((*running)["user_id"]), now, (*running)["planned_end"].get<std::string>()});
      fleet.push_back(std::move(m));
    }
  });
  return fleet;
}

std::string envelope(SimMachine& m, json body) {
  body["code"] = m.code;
  body["seq"] = ++m.seq;
  body["at"] = clock::iso_utc(clock::now());
  std::string text = body.dump();
  return json{{"code", m.code}, {"body", text}, {"sig", app::sign_body(text, m.secret)}}.dump();
}

// libmosquitto queues while the broker is away and resends QoS 1 messages on reconnect.
void publish(mosquitto* mosq, const std::string& topic, const std::string& payload) {
  mosquitto_publish_v5(mosq, nullptr, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false, nullptr);
}

std::string telemetry(SimMachine& m, bool power, std::mt19937& rng) {
  std::uniform_real_distribution<double> amps(80, 220), drift(-0.00003, 0.00003);
  json body = {{"type", "telemetry"}, {"power", power}, {"currentA", power ? std::round(amps(rng)) : 0.0},
               {"voltageV", power ? 24.0 : 0.0}, {"lat", m.lat + drift(rng)}, {"lng", m.lng + drift(rng)}, {"accuracyM", 8}};
  return envelope(m, body);
}

}  // namespace

int simulate(store::Db& db, const SimulateOptions& o) {
  auto fleet = prepare(db, o);
  std::unordered_map<std::string, SimMachine*> by_code;
  size_t violators = 0;
  for (auto& m : fleet) {
    by_code[m.code] = &m;
    violators += m.violator;
  }
  std::cout << "模拟焊机 " << fleet.size() << " 台（其中无证开机 " << violators << " 台），代理 " << o.host << ":" << o.port << "\n";

  mosquitto_lib_init();
  struct Ctx {
    std::unordered_map<std::string, SimMachine*>* machines;
    std::mutex mutex;
  } ctx{&by_code, {}};
  mosquitto* mosq = mosquitto_new(nullptr, true, &ctx);
  mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  // Machines acknowledge every command they receive.
  mosquitto_message_v5_callback_set(mosq, [](mosquitto* m, void* p, const mosquitto_message* msg, const mosquitto_property*) {
    auto* c = static_cast<Ctx*>(p);
    json cmd = json::parse(std::string(static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen)), nullptr, false);
    if (!cmd.is_object() || !cmd.contains("code") || !cmd.contains("id")) return;
    std::lock_guard lock(c->mutex);
    auto it = c->machines->find(cmd["code"].get<std::string>());
    if (it == c->machines->end()) return;
    std::string payload = envelope(*it->second, {{"type", "ack"}, {"commandId", cmd["id"]}});
    mosquitto_publish_v5(m, nullptr, ("huoyan/v1/machines/" + it->first + "/events").c_str(), static_cast<int>(payload.size()),
                         payload.data(), 1, false, nullptr);
    acks_sent++;
  });
  if (mosquitto_connect_bind_v5(mosq, o.host.c_str(), o.port, 30, nullptr, nullptr) != MOSQ_ERR_SUCCESS) {
    std::cerr << "无法连接 MQTT 代理 " << o.host << ":" << o.port << "（请先运行 make mqtt）\n";
    return 1;
  }
  mosquitto_subscribe_v5(mosq, nullptr, "huoyan/v1/machines/+/commands", 1, 0, nullptr);
  mosquitto_loop_start(mosq);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  timespec no_wait{0, 0};
  auto interrupted = [&] { return sigtimedwait(&signals, nullptr, &no_wait) > 0; };

  std::mt19937 rng(7);
  long long sent = 0;
  auto started = steady_clock::now();
  auto send = [&](SimMachine& m, bool power) {
    std::string payload;
    {
      std::lock_guard lock(ctx.mutex);
      payload = telemetry(m, power, rng);
    }
    publish(mosq, "huoyan/v1/machines/" + m.code + "/telemetry", payload);
    ++sent;
  };
  // The morning storm: every machine powers up within a few seconds.
  for (auto& m : fleet) send(m, true);
  std::cout << "开机高峰：" << fleet.size() << " 条，用时 "
            << duration_cast<milliseconds>(steady_clock::now() - started).count() << " ms\n";
  // Then steady telemetry at the given rate, in 10 ms steps.
  size_t next = 0;
  double owed = 0;
  auto steady_start = steady_clock::now(), last_report = steady_start;
  for (long long tick = 1; !interrupted() && (o.seconds == 0 || steady_clock::now() - started < seconds(o.seconds)); ++tick) {
    owed += o.rate / 100.0;
    for (; owed >= 1; owed -= 1) send(fleet[next++ % fleet.size()], true);
    if (steady_clock::now() - last_report >= seconds(10)) {
      last_report = steady_clock::now();
      std::cout << "已发送 " << sent << " 条，已确认指令 " << acks_sent << " 条\n" << std::flush;
    }
    std::this_thread::sleep_until(steady_start + milliseconds(10) * tick);
  }
  for (auto& m : fleet) send(m, false);  // end of the working day
  std::this_thread::sleep_for(seconds(2));  // let acknowledgements and the last messages go out
  double secs = duration<double>(steady_clock::now() - started).count();
  std::cout << "共发送 " << sent << " 条（" << static_cast<long long>(sent / secs) << " 条/秒），已确认指令 " << acks_sent << " 条\n";
  mosquitto_disconnect(mosq);
  mosquitto_loop_stop(mosq, false);
  mosquitto_destroy(mosq);
  mosquitto_lib_cleanup();
  return 0;
}

}  // namespace huoyan::iot
