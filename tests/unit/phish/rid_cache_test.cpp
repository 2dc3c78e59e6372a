#include "phish/rid_cache.h"

#include <gtest/gtest.h>

namespace phishdrill::phish {
namespace {

using namespace std::chrono_literals;

RidInfo info_for(std::int64_t recipient_id) {
  RidInfo info;
  info.recipient_id = recipient_id;
  return info;
}

TEST(RidCache, AnswersWhatWasPutUntilItExpires) {
  RidCache cache(nullptr, 5s);
  const auto t0 = RidCache::Clock::time_point{} + 100s;
  EXPECT_FALSE(cache.get("a", t0).has_value());  // never seen: not cached
  cache.put("a", info_for(7), t0, 0);
  const auto hit = cache.get("a", t0 + 4s);
  ASSERT_TRUE(hit.has_value());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->recipient_id, 7);
  EXPECT_FALSE(cache.get("a", t0 + 5s).has_value());  // expired at the ttl
  EXPECT_FALSE(cache.get("a", t0 + 4s).has_value());  // and removed, not revived
}

TEST(RidCache, RemembersThatARidIsUnknown) {
  RidCache cache(nullptr, 5s);
  const auto t0 = RidCache::Clock::time_point{} + 100s;
  cache.put("nobody", std::nullopt, t0, 0);
  const auto hit = cache.get("nobody", t0 + 1s);
  ASSERT_TRUE(hit.has_value());    // cached …
  EXPECT_FALSE(hit->has_value());  // … as unknown
}

TEST(RidCache, AFullCacheDropsExpiredEntriesFirstAndNeverGrowsPastItsCapacity) {
  RidCache cache(nullptr, 5s, 2);
  const auto t0 = RidCache::Clock::time_point{} + 100s;
  cache.put("old", info_for(1), t0, 0);
  cache.put("live", info_for(2), t0 + 4s, 0);
  cache.put("new", info_for(3), t0 + 6s, 0);  // full: "old" has expired and goes
  EXPECT_TRUE(cache.get("live", t0 + 6s).has_value());
  EXPECT_TRUE(cache.get("new", t0 + 6s).has_value());
  cache.put("newest", info_for(4), t0 + 7s, 0);  // full of live entries: starts again
  EXPECT_FALSE(cache.get("live", t0 + 7s).has_value());
  EXPECT_TRUE(cache.get("newest", t0 + 7s).has_value());
}

TEST(RidCache, AnAnnouncedCampaignChangeDropsWhatWasLoadedBeforeIt) {
  ChangeGenerations changes;
  RidCache cache(&changes, 5s);
  const auto t0 = RidCache::Clock::time_point{} + 100s;
  cache.put("a", info_for(7), t0, cache.generation());
  changes.bump(ChangeTopic::kLandingPages);  // another topic: still good
  EXPECT_TRUE(cache.get("a", t0 + 1s).has_value());
  // Loaded before the change but stored after it: never answered.
  const auto before = cache.generation();
  changes.bump(ChangeTopic::kCampaigns);
  cache.put("b", info_for(8), t0 + 1s, before);
  EXPECT_FALSE(cache.get("a", t0 + 1s).has_value());
  EXPECT_FALSE(cache.get("b", t0 + 1s).has_value());
  cache.put("a", info_for(7), t0 + 2s, cache.generation());
  EXPECT_TRUE(cache.get("a", t0 + 2s).has_value());
}

}  // namespace
}  // namespace phishdrill::phish
