#pragma once
// Request counts and latency per route, rendered in Prometheus text format.
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/db.h"

namespace huoyan::http {

class Metrics {
 public:
  // One slot per route, plus one for everything unrouted (static files, 404s).
  // Each label is a rendered Prometheus label set: method="GET",route="/api/users".
  explicit Metrics(std::vector<std::string> route_labels);
  void observe(size_t route_index, int status, double seconds);
  std::string render(const store::PoolStats& pool) const;

  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Slot {
    std::map<int, long long> by_status;
    std::array<long long, kBuckets.size()> buckets{};
    long long count = 0;
    double sum = 0;
  };
  std::vector<std::string> labels_;
  std::vector<Slot> slots_;
  mutable std::mutex mutex_;
};

// The process's metrics, one slot per entry of routes().
Metrics& metrics();

}  // namespace huoyan::http
