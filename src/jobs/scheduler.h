#pragma once
// Runs the timer jobs (permit expiry, overrun and late rounds, machine
// session ends, certificate expiry once a day) every interval
// on its own thread. With several instances on one PostgreSQL database a
// lease row lets one instance run each round.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/db.h"

namespace huoyan::jobs {

// Every timer job once, now (the scheduler's round without the lease; tests call it).
int run_timers(store::Db& db);

class Scheduler {
 public:
  Scheduler(store::Db& db, std::chrono::seconds interval);
  ~Scheduler();  // stops and joins
  void stop();

  // One round now, if this instance holds (or takes) the lease. Returns changes made.
  int run_once();

 private:
  bool take_lease();
  store::Db& db_;
  std::chrono::seconds interval_;
  std::string holder_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace huoyan::jobs
