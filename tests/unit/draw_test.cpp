#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "domain/draw.h"

using namespace huoyan::draw;

namespace {
Inputs town(int key, int other, int inspectors) {
  Inputs in;
  for (int i = 1; i <= key + other; ++i) in.venues.push_back({i, i <= key, false});
  for (int i = 101; i < 101 + inspectors; ++i) in.inspectors.push_back(i);
  return in;
}
}  // namespace

TEST(Draw, SameInputsAndSeedGiveTheSameResultWhateverTheOrder) {
  Inputs in = town(10, 20, 8);
  in.venue_count = 6;
  Result a = run(in, 42);
  std::reverse(in.venues.begin(), in.venues.end());
  std::reverse(in.inspectors.begin(), in.inspectors.end());
  Result b = run(in, 42);
  ASSERT_TRUE(a.problem.empty());
  ASSERT_EQ(a.picks.size(), 6u);
  for (size_t i = 0; i < a.picks.size(); ++i) {
    EXPECT_EQ(a.picks[i].venue_id, b.picks[i].venue_id);
    EXPECT_EQ(a.picks[i].inspectors, b.picks[i].inspectors);
  }
  // Another seed draws differently (for these sizes, any two seeds almost surely do).
  Result c = run(in, 43);
  bool differs = false;
  for (size_t i = 0; i < c.picks.size(); ++i) differs |= c.picks[i].venue_id != a.picks[i].venue_id;
  EXPECT_TRUE(differs);
}

TEST(Draw, KeyUnitsGetTheirQuotaAndOthersKeepAShare) {
  Inputs in = town(10, 20, 8);
  in.venue_count = 10;
  in.key_percent = 70;
  Result r = run(in, 7);
  int key = 0;
  std::set<long long> venues;
  for (const auto& p : r.picks) {
    key += p.venue_id <= 10;
    venues.insert(p.venue_id);
    EXPECT_EQ(p.inspectors.size(), 2u);
    EXPECT_NE(p.inspectors[0], p.inspectors[1]);
  }
  EXPECT_EQ(key, 7);
  EXPECT_EQ(venues.size(), 10u);  // no venue twice
  in.key_percent = 100;
  r = run(in, 7);
  EXPECT_EQ(std::count_if(r.picks.begin(), r.picks.end(), [](const Pick& p) { return p.venue_id > 10; }), 1);
}

TEST(Draw, KeyUnitsNotYetDrawnThisYearComeFirst) {
  Inputs in = town(6, 10, 6);
  for (auto& v : in.venues)
    if (v.key && v.id <= 4) v.drawn_this_year = true;  // only 5 and 6 are due
  in.venue_count = 3;
  in.key_percent = 67;  // two key slots
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Result r = run(in, seed);
    std::set<long long> key;
    for (const auto& p : r.picks)
      if (p.venue_id <= 6) key.insert(p.venue_id);
    EXPECT_EQ(key, (std::set<long long>{5, 6})) << "seed " << seed;
  }
}

TEST(Draw, ConflictsAreAvoidedAndTooFewInspectorsIsAProblem) {
  Inputs in = town(2, 0, 3);
  in.venue_count = 2;
  in.conflicts = {{101, 1}, {101, 2}};
  for (uint64_t seed = 1; seed <= 10; ++seed)
    for (const auto& p : run(in, seed).picks) EXPECT_EQ(std::count(p.inspectors.begin(), p.inspectors.end(), 101), 0);
  in.conflicts.insert({102, 1});
  Result r = run(in, 1);
  EXPECT_FALSE(r.problem.empty());
  EXPECT_TRUE(r.picks.empty());
  in = town(2, 0, 3);
  in.venue_count = 3;
  EXPECT_FALSE(run(in, 1).problem.empty());  // more than the pool
}
