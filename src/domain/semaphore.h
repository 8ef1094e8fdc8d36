#pragma once
// A counting semaphore whose waiters sleep at once. libstdc++'s std::counting_semaphore (GCC 12) spins on
// sched_yield before it sleeps and wakes every waiter on release: with 64 requests waiting for the SQLite writer,
// that spinning took about a tenth of the two cores the writer itself needed.
#include <condition_variable>
#include <mutex>

namespace huoyan {

class Semaphore {
 public:
  explicit Semaphore(int count) : count_(count) {}
  void acquire() {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return count_ > 0; });
    --count_;
  }
  // Notifies under the lock, so that a waiter that owns this semaphore (on its stack) cannot return and destroy
  // it before release() is done with it.
  void release() {
    std::lock_guard lock(mutex_);
    ++count_;
    released_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  int count_;
};

}  // namespace huoyan
