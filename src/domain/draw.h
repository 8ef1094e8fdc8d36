#pragma once
// 双随机 draws: venues at random from the pool and inspectors at random from
// the roster. Key units are weighted up by a quota, non-key units keep the
// rest, and key units not yet drawn this year come first, so every key unit
// is drawn at least once a year when draws run often enough. The draw is a
// pure function of its inputs and seed: the same inputs give the same result
// on any machine (mt19937_64 and our own bounded pick; no std distributions,
// whose results differ between standard libraries).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace huoyan::draw {

struct Venue {
  long long id = 0;
  bool key = false;              // 重点单位
  bool drawn_this_year = false;  // already drawn in an earlier draw this year
};

struct Inputs {
  std::vector<Venue> venues;
  std::vector<long long> inspectors;
  std::set<std::pair<long long, long long>> conflicts;  // (inspector, venue) that must not meet
  int venue_count = 0;
  int inspectors_per_venue = 2;
  int key_percent = 70;  // share of the venues drawn from key units
};

struct Pick {
  long long venue_id = 0;
  std::vector<long long> inspectors;
};

struct Result {
  std::vector<Pick> picks;
  std::string problem;  // non-empty (Chinese) when the inputs cannot give a valid draw
};

Result run(const Inputs& in, uint64_t seed);

}  // namespace huoyan::draw
