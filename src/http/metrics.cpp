#include "http/metrics.h"

#include <fmt/format.h>

#include "http/api.h"

namespace huoyan::http {

Metrics::Metrics(std::vector<std::string> route_labels) : labels_(std::move(route_labels)) {
  labels_.push_back("method=\"\",route=\"other\"");
  slots_.resize(labels_.size());
}

void Metrics::observe(size_t route_index, int status, double seconds) {
  std::lock_guard lock(mutex_);
  Slot& s = slots_[std::min(route_index, slots_.size() - 1)];
  s.by_status[status]++;
  s.count++;
  s.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) s.buckets[i]++;
}

Metrics& metrics() {
  static Metrics m = [] {
    std::vector<std::string> labels;
    for (const auto& r : routes()) labels.push_back("method=\"" + r.method + "\",route=\"" + r.path + "\"");
    return Metrics(labels);
  }();
  return m;
}

std::string Metrics::render(const store::PoolStats& pool) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP huoyan_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE huoyan_http_requests_total counter\n";
  for (size_t i = 0; i < slots_.size(); ++i)
    for (const auto& [status, n] : slots_[i].by_status)
      out += fmt::format("huoyan_http_requests_total{{{},status=\"{}\"}} {}\n", labels_[i], status, n);
  out += "# HELP huoyan_http_request_duration_seconds Time from routing to the reply, by route.\n";
  out += "# TYPE huoyan_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.count == 0) continue;
    for (size_t b = 0; b < kBuckets.size(); ++b)
      out += fmt::format("huoyan_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels_[i],
                         kBuckets[b], s.buckets[b]);
    out += fmt::format("huoyan_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels_[i], s.count);
    out += fmt::format("huoyan_http_request_duration_seconds_sum{{{}}} {:.6f}\n", labels_[i], s.sum);
    out += fmt::format("huoyan_http_request_duration_seconds_count{{{}}} {}\n", labels_[i], s.count);
  }
  out += "# HELP huoyan_db_pool_connections Database connections, total and in use.\n";
  out += "# TYPE huoyan_db_pool_connections gauge\n";
  out += fmt::format("huoyan_db_pool_connections{{state=\"total\"}} {}\n", pool.size);
  out += fmt::format("huoyan_db_pool_connections{{state=\"in_use\"}} {}\n", pool.in_use);
  out += "# HELP huoyan_db_pool_waits_total Leases that waited for a free connection.\n";
  out += "# TYPE huoyan_db_pool_waits_total counter\n";
  out += fmt::format("huoyan_db_pool_waits_total {}\n", pool.waits);
  return out;
}

}  // namespace huoyan::http
