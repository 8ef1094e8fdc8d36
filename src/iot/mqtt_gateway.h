#pragma once
// The MQTT side of the device gateway (Mosquitto, libmosquitto, MQTT v5).
// Subscribes to every machine's telemetry and events with QoS 1; the network
// thread only queues each message, and an ingest thread hands them to
// app::ingest_messages in batches (one transaction each), so the database
// keeps up with a fleet. The queue is bounded: when it is full the network
// thread waits and the broker holds the rest. Queued commands (unlock, lock)
// are published as soon as they are committed. A persistent session (clean start off, long session
// expiry) lets the broker keep QoS 1 messages for the gateway while it is
// away; reconnects back off exponentially up to 30 s. With `shared_group`
// set, several instances share the traffic through a shared subscription.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "app/devices.h"

#include "store/db.h"

struct mosquitto;

namespace huoyan::iot {

struct MqttOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "huoyan-gateway";
  std::string shared_group;  // e.g. "huoyan": subscribe as $share/huoyan/...
  std::string username, password;
};

class MqttGateway {
 public:
  MqttGateway(store::Db& db, MqttOptions options);
  ~MqttGateway();  // disconnects and joins
  bool connected() const { return connected_; }

 private:
  static void on_connect(mosquitto*, void* self, int rc, int flags, const void* props);
  static void on_disconnect(mosquitto*, void* self, int rc, const void* props);
  static void on_message(mosquitto*, void* self, const void* message, const void* props);
  void publish_loop();
  void ingest_loop();

  store::Db& db_;
  MqttOptions options_;
  mosquitto* mosq_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<bool> stopping_{false};
  std::thread publisher_, ingester_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<app::RawMessage> queue_;
};

}  // namespace huoyan::iot
