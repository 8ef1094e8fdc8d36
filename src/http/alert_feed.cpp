#include "http/alert_feed.h"

#include <spdlog/spdlog.h>

#include "app/alerts.h"
#include "domain/clock.h"

namespace huoyan::http {

using namespace std::chrono;
using nlohmann::json;

namespace {
// Changes are read from this far back, so a transaction that stamped its time
// before an earlier poll but committed after it is still seen; `seen_` drops repeats.
constexpr seconds kOverlap{5};
}  // namespace

AlertFeed::AlertFeed(store::Db& db) : db_(db) {
  thread_ = std::thread([this] { run(); });
}

AlertFeed::~AlertFeed() { stop(); }

void AlertFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  for (auto& s : subscribers_) s.response.done();
  subscribers_.clear();
}

size_t AlertFeed::subscribers() {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

void AlertFeed::send(Subscriber& s, const json& alerts) {
  if (alerts.empty()) return;
  std::string chunk;
  for (const auto& a : alerts)
    chunk += "id: " + a["updatedAt"].get<std::string>() + "\nevent: alert\ndata: " + a.dump() + "\n\n";
  s.response.append_chunk(std::move(chunk));
  s.response.flush([broken = s.broken](const restinio::asio_ns::error_code& ec) {
    if (ec) *broken = true;
  });
}

void AlertFeed::subscribe(const restinio::request_handle_t& req, const access::Caller& caller, const std::string& since) {
  Subscriber s{caller, req->create_response<restinio::chunked_output_t>(), steady_clock::now() + kStreamSeconds,
               steady_clock::now() + seconds(15)};
  s.response.append_header(restinio::http_field::content_type, "text/event-stream; charset=utf-8");
  s.response.append_header(restinio::http_field::cache_control, "no-store");
  s.response.append_header("X-Accel-Buffering", "no");  // nginx: pass events through at once
  s.response.append_chunk("retry: 2000\n\n");
  json replay = json::array();
  if (!since.empty()) replay = db_.read([&](store::Conn& c) { return app::alert_changes(c, caller, since); });
  std::lock_guard lock(mutex_);
  if (stopping_) {
    s.response.done();
    return;
  }
  if (replay.empty()) s.response.flush();
  else send(s, replay);
  subscribers_.push_back(std::move(s));
}

void AlertFeed::run() {
  // Changes from before the first poll are history, not news.
  try {
    std::string since = clock::iso_utc(clock::now() - kOverlap);
    db_.read([&](store::Conn& c) {
      for (const auto& r : c.rows("SELECT id, updated_at, revision FROM alerts WHERE updated_at >= ?", {since}))
        seen_[store::as_id(r["id"])] = {r["updated_at"], store::as_id(r["revision"])};
    });
  } catch (const std::exception& e) {
    spdlog::error("alert feed: {}", e.what());
  }
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      poll();
    } catch (const std::exception& e) {
      spdlog::error("alert feed: {}", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, milliseconds(250), [this] { return stopping_; });
  }
}

void AlertFeed::poll() {
  std::string since = clock::iso_utc(clock::now() - kOverlap);
  std::vector<long long> changed;
  db_.read([&](store::Conn& c) {
    for (const auto& r : c.rows("SELECT id, updated_at, revision FROM alerts WHERE updated_at >= ? ORDER BY updated_at, id", {since})) {
      long long id = store::as_id(r["id"]);
      Seen now_seen{r["updated_at"], store::as_id(r["revision"])};
      auto& seen = seen_[id];
      if (seen.revision == now_seen.revision && seen.updated_at == now_seen.updated_at) continue;
      seen = now_seen;
      changed.push_back(id);
    }
  });
  for (auto it = seen_.begin(); it != seen_.end();) it = it->second.updated_at < since ? seen_.erase(it) : std::next(it);

  std::lock_guard lock(mutex_);
  auto now = steady_clock::now();
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    Subscriber& s = *it;
    if (*s.broken || now >= s.ends) {
      s.response.done();
      it = subscribers_.erase(it);
      continue;
    }
    if (!changed.empty()) {
      json visible = db_.read([&](store::Conn& c) { return app::alerts_by_ids(c, s.caller, changed); });
      send(s, visible);
    }
    if (now >= s.next_ping) {
      s.response.append_chunk(": ping\n\n");
      s.response.flush([broken = s.broken](const restinio::asio_ns::error_code& ec) {
        if (ec) *broken = true;
      });
      s.next_ping = now + seconds(15);
    }
    ++it;
  }
}

}  // namespace huoyan::http
