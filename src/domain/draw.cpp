#include "domain/draw.h"

#include <algorithm>
#include <random>

namespace huoyan::draw {

namespace {
// A uniform index below n, by rejection (no modulo bias), from the generator's raw output.
size_t below(std::mt19937_64& g, size_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = g();
  while (x >= limit);
  return static_cast<size_t>(x % n);
}

// Takes k items from `pool` at random (Fisher–Yates prefix); `pool` is reordered.
template <class T>
std::vector<T> take(std::mt19937_64& g, std::vector<T>& pool, size_t k) {
  k = std::min(k, pool.size());
  for (size_t i = 0; i < k; ++i) std::swap(pool[i], pool[i + below(g, pool.size() - i)]);
  return {pool.begin(), pool.begin() + static_cast<long>(k)};
}
}  // namespace

Result run(const Inputs& in, uint64_t seed) {
  Result r;
  if (in.venue_count < 1) {
    r.problem = "抽取数量须至少为 1";
    return r;
  }
  if (static_cast<size_t>(in.venue_count) > in.venues.size()) {
    r.problem = "抽取数量超过检查对象名录中的场所数";
    return r;
  }
  if (in.inspectors_per_venue < 2) {
    r.problem = "每个检查对象至少选派 2 名检查人员";
    return r;
  }
  std::mt19937_64 g(seed);
  // Sorted inputs: the result must not depend on the order the database returned rows in.
  std::vector<Venue> venues = in.venues;
  std::sort(venues.begin(), venues.end(), [](const Venue& a, const Venue& b) { return a.id < b.id; });
  std::vector<long long> roster = in.inspectors;
  std::sort(roster.begin(), roster.end());
  roster.erase(std::unique(roster.begin(), roster.end()), roster.end());

  std::vector<long long> key_due, key_done, other;
  for (const auto& v : venues) (v.key ? (v.drawn_this_year ? key_done : key_due) : other).push_back(v.id);
  size_t key_total = key_due.size() + key_done.size();
  size_t key_slots = std::min(key_total, static_cast<size_t>((in.venue_count * in.key_percent + 50) / 100));
  // Non-key units keep a share whenever there are some and more than one venue is drawn.
  if (key_slots == static_cast<size_t>(in.venue_count) && !other.empty() && in.venue_count > 1) --key_slots;
  size_t other_slots = std::min(other.size(), static_cast<size_t>(in.venue_count) - key_slots);
  key_slots = std::min(key_total, static_cast<size_t>(in.venue_count) - other_slots);

  std::vector<long long> chosen = take(g, key_due, key_slots);
  if (chosen.size() < key_slots) {
    auto more = take(g, key_done, key_slots - chosen.size());
    chosen.insert(chosen.end(), more.begin(), more.end());
  }
  auto others = take(g, other, other_slots);
  chosen.insert(chosen.end(), others.begin(), others.end());

  for (long long venue : chosen) {
    std::vector<long long> free;
    for (long long i : roster)
      if (!in.conflicts.count({i, venue})) free.push_back(i);
    if (free.size() < static_cast<size_t>(in.inspectors_per_venue)) {
      r.picks.clear();
      r.problem = "回避关联关系后，可选派的检查人员不足 " + std::to_string(in.inspectors_per_venue) + " 名";
      return r;
    }
    Pick p{venue, take(g, free, static_cast<size_t>(in.inspectors_per_venue))};
    std::sort(p.inspectors.begin(), p.inspectors.end());
    r.picks.push_back(std::move(p));
  }
  return r;
}

}  // namespace huoyan::draw
