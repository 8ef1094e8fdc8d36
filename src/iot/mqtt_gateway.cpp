#include "iot/mqtt_gateway.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "app/devices.h"

namespace huoyan::iot {

namespace {
constexpr const char* kTopics[] = {"huoyan/v1/machines/+/telemetry", "huoyan/v1/machines/+/events"};
constexpr size_t kQueueLimit = 50000;
constexpr size_t kBatch = 500;
}

MqttGateway::MqttGateway(store::Db& db, MqttOptions options) : db_(db), options_(std::move(options)) {
  mosquitto_lib_init();
  mosq_ = mosquitto_new(options_.client_id.c_str(), false, this);  // clean start off: a persistent session
  if (!mosq_) throw std::runtime_error("mosquitto_new failed");
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  if (!options_.username.empty())
    mosquitto_username_pw_set(mosq_, options_.username.c_str(), options_.password.empty() ? nullptr : options_.password.c_str());
  mosquitto_reconnect_delay_set(mosq_, 1, 30, true);
  mosquitto_connect_v5_callback_set(mosq_, [](mosquitto* m, void* self, int rc, int flags, const mosquitto_property* p) {
    on_connect(m, self, rc, flags, p);
  });
  mosquitto_disconnect_v5_callback_set(mosq_, [](mosquitto* m, void* self, int rc, const mosquitto_property* p) {
    on_disconnect(m, self, rc, p);
  });
  mosquitto_message_v5_callback_set(mosq_, [](mosquitto* m, void* self, const mosquitto_message* msg, const mosquitto_property* p) {
    on_message(m, self, msg, p);
  });
  mosquitto_property* props = nullptr;
  mosquitto_property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 7 * 24 * 3600);
  int rc = mosquitto_connect_bind_v5(mosq_, options_.host.c_str(), options_.port, 30, nullptr, props);
  mosquitto_property_free_all(&props);
  if (rc != MOSQ_ERR_SUCCESS)
    spdlog::warn("mqtt: first connect to {}:{} failed ({}); retrying in the background", options_.host, options_.port,
                 mosquitto_strerror(rc));
  // loop_start reconnects on its own with the delays set above, also after a failed first connect.
  if (mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS) throw std::runtime_error("mosquitto_loop_start failed");
  if (rc != MOSQ_ERR_SUCCESS) mosquitto_reconnect_async(mosq_);
  publisher_ = std::thread([this] { publish_loop(); });
  ingester_ = std::thread([this] { ingest_loop(); });
}

MqttGateway::~MqttGateway() {
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  app::signal_commands();
  if (publisher_.joinable()) publisher_.join();
  if (ingester_.joinable()) ingester_.join();  // after the queue is drained
  mosquitto_destroy(mosq_);
  mosquitto_lib_cleanup();
}

void MqttGateway::on_connect(mosquitto* m, void* self_ptr, int rc, int, const void*) {
  auto* self = static_cast<MqttGateway*>(self_ptr);
  if (rc != 0) {
    spdlog::warn("mqtt: connect refused: {}", mosquitto_connack_string(rc));
    return;
  }
  for (const char* topic : kTopics) {
    std::string sub = self->options_.shared_group.empty() ? topic : "$share/" + self->options_.shared_group + "/" + topic;
    mosquitto_subscribe_v5(m, nullptr, sub.c_str(), 1, 0, nullptr);
  }
  self->connected_ = true;
  spdlog::info("mqtt: connected to {}:{}", self->options_.host, self->options_.port);
}

void MqttGateway::on_disconnect(mosquitto*, void* self_ptr, int rc, const void*) {
  auto* self = static_cast<MqttGateway*>(self_ptr);
  self->connected_ = false;
  if (!self->stopping_) spdlog::warn("mqtt: disconnected ({}); reconnecting", mosquitto_strerror(rc));
}

void MqttGateway::on_message(mosquitto*, void* self_ptr, const void* message, const void*) {
  auto* self = static_cast<MqttGateway*>(self_ptr);
  const auto* msg = static_cast<const mosquitto_message*>(message);
  // The topic names the machine too; the envelope's code must match it.
  std::string topic = msg->topic;
  std::string prefix = "huoyan/v1/machines/";
  auto slash = topic.find('/', prefix.size());
  app::RawMessage raw{std::string(static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen)),
                      topic.substr(prefix.size(), slash == std::string::npos ? std::string::npos : slash - prefix.size())};
  std::unique_lock lock(self->queue_mutex_);
  self->queue_changed_.wait(lock, [&] { return self->queue_.size() < kQueueLimit || self->stopping_; });
  self->queue_.push_back(std::move(raw));
  lock.unlock();
  self->queue_changed_.notify_all();
}

void MqttGateway::ingest_loop() {
  std::vector<app::RawMessage> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything received was ingested
      while (!queue_.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    queue_changed_.notify_all();
    try {
      app::ingest_messages(db_, batch);
    } catch (const std::exception& e) {
      spdlog::error("mqtt: ingesting {} messages failed: {}", batch.size(), e.what());
    }
    batch.clear();
  }
}

void MqttGateway::publish_loop() {
  while (!stopping_) {
    if (connected_) {
      try {
        for (const auto& cmd : app::take_pending_commands(db_, 200)) {
          std::string topic = "huoyan/v1/machines/" + cmd["code"].get<std::string>() + "/commands";
          std::string body = cmd.dump();
          mosquitto_publish_v5(mosq_, nullptr, topic.c_str(), static_cast<int>(body.size()), body.data(), 1, false, nullptr);
        }
      } catch (const std::exception& e) {
        spdlog::error("mqtt: publishing commands failed: {}", e.what());
      }
    }
    app::wait_for_commands(std::chrono::milliseconds(200));
  }
}

}  // namespace huoyan::iot
