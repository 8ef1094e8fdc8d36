#pragma once
// Live alerts for open consoles (Server-Sent Events). One thread polls the
// alerts table's change feed (updated_at) four times a second — so alerts
// raised by any instance on a shared database reach every console — and
// pushes each change to the subscribers allowed to see it. Streams end after
// kStreamSeconds; EventSource reconnects with Last-Event-ID and is replayed.
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <restinio/all.hpp>
#include <string>
#include <thread>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::http {

class AlertFeed {
 public:
  static constexpr std::chrono::seconds kStreamSeconds{45};
  explicit AlertFeed(store::Db& db);
  ~AlertFeed();
  // Ends every stream; call before the server stops, while connections still have their io_context.
  void stop();

  // Takes over an accepted request: sends the headers, replays the changes since
  // `since` (if any), then keeps pushing.
  void subscribe(const restinio::request_handle_t& req, const access::Caller& caller, const std::string& since);
  size_t subscribers();

 private:
  using Response = restinio::response_builder_t<restinio::chunked_output_t>;
  struct Subscriber {
    access::Caller caller;
    Response response;
    std::chrono::steady_clock::time_point ends, next_ping;
    std::shared_ptr<std::atomic<bool>> broken = std::make_shared<std::atomic<bool>>(false);
  };
  void run();
  void poll();
  static void send(Subscriber& s, const nlohmann::json& alerts);

  store::Db& db_;
  std::mutex mutex_;
  std::list<Subscriber> subscribers_;
  struct Seen {
    std::string updated_at;
    long long revision = -1;
  };
  std::map<long long, Seen> seen_;  // alert id → the change already pushed
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace huoyan::http
