#include "core/send_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace phishdrill {
namespace {

// 2024-01-01 00:00:00 UTC was a Monday.
constexpr std::int64_t kMonday = 1704067200;
constexpr std::int64_t kDay = 86400;

constexpr std::int64_t at(int day, int hour, int minute = 0, int second = 0) {
  return kMonday + day * kDay + hour * 3600 + minute * 60 + second;
}

SendWindow weekdays_9_to_17(int offset_minutes = 0) {
  SendWindow w;
  for (int d = 0; d < 5; ++d) w.days[static_cast<std::size_t>(d)] = true;
  w.start_minute = 9 * 60;
  w.end_minute = 17 * 60;
  w.utc_offset_minutes = offset_minutes;
  return w;
}

std::vector<std::int64_t> plan_ok(const SendPlanInput& in) {
  auto result = plan_send_times(in);
  EXPECT_TRUE(result.has_value()) << result.error().message;
  if (!result) return {};
  EXPECT_EQ(result->size(), in.count);
  return *result;
}

// --- pick_weighted --------------------------------------------------------

TEST(PickWeighted, RoughlyProportionalToWeights) {
  const std::vector<int> weights = {1, 3};
  constexpr int kKeys = 20000;
  int counts[2] = {0, 0};
  for (int key = 0; key < kKeys; ++key) {
    const auto i = pick_weighted(42, static_cast<std::uint64_t>(key), weights);
    ASSERT_LT(i, weights.size());
    ++counts[i];
  }
  EXPECT_NEAR(counts[0] / double{kKeys}, 0.25, 0.03);
  EXPECT_NEAR(counts[1] / double{kKeys}, 0.75, 0.03);
}

TEST(PickWeighted, ThreeWeights) {
  const std::vector<int> weights = {2, 5, 3};
  constexpr int kKeys = 20000;
  int counts[3] = {0, 0, 0};
  for (int key = 1; key <= kKeys; ++key) {
    ++counts[pick_weighted(7, static_cast<std::uint64_t>(key), weights)];
  }
  EXPECT_NEAR(counts[0] / double{kKeys}, 0.2, 0.03);
  EXPECT_NEAR(counts[1] / double{kKeys}, 0.5, 0.03);
  EXPECT_NEAR(counts[2] / double{kKeys}, 0.3, 0.03);
}

TEST(PickWeighted, SingleWeightAlwaysZero) {
  for (std::uint64_t key = 0; key < 100; ++key) EXPECT_EQ(pick_weighted(9, key, {17}), 0u);
}

TEST(PickWeighted, ReproducibleForSameSeed) {
  const std::vector<int> weights = {1, 1, 1, 1};
  for (std::uint64_t key = 0; key < 1000; ++key) {
    EXPECT_EQ(pick_weighted(1234, key, weights), pick_weighted(1234, key, weights));
  }
}

TEST(PickWeighted, DifferentSeedGivesDifferentChoices) {
  const std::vector<int> weights = {1, 1};
  int differ = 0;
  for (std::uint64_t key = 0; key < 1000; ++key) {
    if (pick_weighted(1, key, weights) != pick_weighted(2, key, weights)) ++differ;
  }
  // Independent fair choices differ about half of the time.
  EXPECT_GT(differ, 350);
  EXPECT_LT(differ, 650);
}

TEST(Mix64, DeterministicAndSensitiveToBothInputs) {
  EXPECT_EQ(mix64(1, 2), mix64(1, 2));
  EXPECT_NE(mix64(1, 2), mix64(1, 3));
  EXPECT_NE(mix64(1, 2), mix64(2, 2));
}

// --- shuffled_order -------------------------------------------------------

TEST(ShuffledOrder, IsAPermutation) {
  for (std::size_t n : {0u, 1u, 2u, 7u, 1000u}) {
    auto order = shuffled_order(n, 99);
    ASSERT_EQ(order.size(), n);
    std::sort(order.begin(), order.end());
    std::vector<std::size_t> expected(n);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    EXPECT_EQ(order, expected) << "n=" << n;
  }
}

TEST(ShuffledOrder, ReproducibleAndSeedDependent) {
  const auto a = shuffled_order(500, 5);
  EXPECT_EQ(a, shuffled_order(500, 5));
  EXPECT_NE(a, shuffled_order(500, 6));
  std::vector<std::size_t> identity(500);
  std::iota(identity.begin(), identity.end(), std::size_t{0});
  EXPECT_NE(a, identity);
}

// --- plan_send_times ------------------------------------------------------

TEST(PlanSendTimes, NoDeadlineNoRateAllAtLaunch) {
  SendPlanInput in;
  in.count = 25;
  in.launch_at = at(2, 10, 30);
  const auto times = plan_ok(in);
  for (const auto t : times) EXPECT_EQ(t, in.launch_at);
}

TEST(PlanSendTimes, ZeroRecipients) {
  SendPlanInput in;
  in.launch_at = at(0, 0);
  in.send_by = at(0, 1);
  EXPECT_TRUE(plan_ok(in).empty());
}

TEST(PlanSendTimes, RatePacesTenPerSecondAt600PerMinute) {
  SendPlanInput in;
  in.count = 35;
  in.launch_at = at(0, 12);
  in.rate_per_minute = 600;
  const auto times = plan_ok(in);
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_EQ(times[i], in.launch_at + static_cast<std::int64_t>(i / 10)) << i;
  }
}

TEST(PlanSendTimes, SlowRateSpacesSeconds) {
  SendPlanInput in;
  in.count = 4;
  in.launch_at = at(0, 12);
  in.rate_per_minute = 2;  // one every 30 s
  EXPECT_EQ(plan_ok(in), (std::vector<std::int64_t>{in.launch_at, in.launch_at + 30,
                                                    in.launch_at + 60, in.launch_at + 90}));
}

TEST(PlanSendTimes, SendByIgnoresRate) {
  SendPlanInput in;
  in.count = 10;
  in.launch_at = at(0, 12);
  in.send_by = in.launch_at + 100;
  in.rate_per_minute = 1;  // would take 9 minutes
  const auto times = plan_ok(in);
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_EQ(times[i], in.launch_at + static_cast<std::int64_t>(10 * i));
  }
}

TEST(PlanSendTimes, SendBySpreadsEvenly) {
  SendPlanInput in;
  in.count = 7;
  in.launch_at = at(3, 8, 15, 3);
  in.send_by = in.launch_at + 1000;
  const auto times = plan_ok(in);
  ASSERT_EQ(times.size(), 7u);
  EXPECT_EQ(times.front(), in.launch_at);
  EXPECT_LT(times.back(), in.send_by);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_EQ(times[i], in.launch_at + static_cast<std::int64_t>(i) * 1000 / 7);
  }
  // Gaps differ by at most one second (one-second granularity).
  std::int64_t min_gap = INT64_MAX, max_gap = 0;
  for (std::size_t i = 1; i < times.size(); ++i) {
    min_gap = std::min(min_gap, times[i] - times[i - 1]);
    max_gap = std::max(max_gap, times[i] - times[i - 1]);
  }
  EXPECT_LE(max_gap - min_gap, 1);
}

TEST(PlanSendTimes, MoreRecipientsThanSeconds) {
  SendPlanInput in;
  in.count = 50;
  in.launch_at = at(0, 12);
  in.send_by = in.launch_at + 10;
  const auto times = plan_ok(in);
  EXPECT_EQ(times.front(), in.launch_at);
  EXPECT_EQ(times.back(), in.send_by - 1);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  for (std::int64_t s = 0; s < 10; ++s) {
    EXPECT_EQ(std::count(times.begin(), times.end(), in.launch_at + s), 5) << s;
  }
}

TEST(PlanSendTimes, WindowKeepsEverySendInsideAndSaturdayStartsMonday) {
  SendPlanInput in;
  in.count = 100;
  in.launch_at = at(5, 12);  // Saturday noon
  in.send_by = at(8, 17);    // Tuesday 17:00
  in.window = weekdays_9_to_17();
  const auto times = plan_ok(in);
  EXPECT_EQ(times.front(), at(7, 9));  // Monday 09:00
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  for (const auto t : times) {
    EXPECT_TRUE(in.window.contains(t)) << t;
    EXPECT_GE(t, in.launch_at);
    EXPECT_LT(t, in.send_by);
  }
  // Two open days of 8 hours: half of the sends fall on each.
  const auto monday =
      std::count_if(times.begin(), times.end(), [](std::int64_t t) { return t < at(8, 0); });
  EXPECT_EQ(monday, 50);
  EXPECT_EQ(times[50], at(8, 9));
}

TEST(PlanSendTimes, WindowWithRateContinuesNextOpenDay) {
  SendPlanInput in;
  in.count = 600;
  in.launch_at = at(5, 12);  // Saturday
  in.rate_per_minute = 1;    // 480 fit in one 8-hour day
  in.window = weekdays_9_to_17();
  const auto times = plan_ok(in);
  EXPECT_EQ(times.front(), at(7, 9));
  EXPECT_EQ(times[479], at(7, 16, 59));
  EXPECT_EQ(times[480], at(8, 9));
  EXPECT_EQ(times.back(), at(8, 9) + 119 * 60);
  for (const auto t : times) EXPECT_TRUE(in.window.contains(t)) << t;
}

TEST(PlanSendTimes, WindowWithOffsetLaunchInsideTheWindow) {
  SendPlanInput in;
  in.count = 30;
  in.window = weekdays_9_to_17(-300);  // 14:00-22:00 UTC
  in.launch_at = at(0, 21);            // one open hour left on Monday
  in.send_by = at(1, 15);              // and one on Tuesday
  const auto times = plan_ok(in);
  EXPECT_EQ(times.front(), in.launch_at);
  for (const auto t : times) {
    EXPECT_TRUE(in.window.contains(t)) << t;
    EXPECT_LT(t, in.send_by);
  }
  EXPECT_EQ(times[15], at(1, 14));
}

TEST(PlanSendTimes, JitterStaysBeforeSendByAndInsideWindow) {
  SendPlanInput in;
  in.count = 400;
  in.launch_at = at(4, 16);  // Friday: one open hour, then Monday
  in.send_by = at(7, 10);    // Monday 10:00
  in.window = weekdays_9_to_17();
  in.jitter_seconds = 86400;
  in.seed = 77;
  const auto times = plan_ok(in);
  SendPlanInput plain = in;
  plain.jitter_seconds = 0;
  const auto unjittered = plan_ok(plain);
  EXPECT_NE(times, unjittered);
  for (const auto t : times) {
    EXPECT_TRUE(in.window.contains(t)) << t;
    EXPECT_GE(t, in.launch_at);
    EXPECT_LT(t, in.send_by);
  }
  // Reproducible.
  EXPECT_EQ(plan_ok(in), times);
}

TEST(PlanSendTimes, JitterNeverPassesShortDeadline) {
  SendPlanInput in;
  in.count = 50;
  in.launch_at = at(0, 12);
  in.send_by = in.launch_at + 100;
  in.jitter_seconds = 3600;
  in.seed = 3;
  const auto times = plan_ok(in);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  for (const auto t : times) {
    EXPECT_GE(t, in.launch_at);
    EXPECT_LT(t, in.send_by);
  }
}

TEST(PlanSendTimes, JitterWithoutDeadlineIsBounded) {
  SendPlanInput in;
  in.count = 200;
  in.launch_at = at(0, 12);
  in.jitter_seconds = 60;
  in.seed = 11;
  const auto times = plan_ok(in);
  bool any_delayed = false;
  for (const auto t : times) {
    EXPECT_GE(t, in.launch_at);
    EXPECT_LE(t, in.launch_at + 60);
    any_delayed = any_delayed || t > in.launch_at;
  }
  EXPECT_TRUE(any_delayed);
  SendPlanInput other = in;
  other.seed = 12;
  EXPECT_NE(plan_ok(other), times);
}

TEST(PlanSendTimes, WindowClosedUntilSendByFails) {
  SendPlanInput in;
  in.count = 3;
  in.launch_at = at(5, 10);  // Saturday
  in.send_by = at(6, 20);    // Sunday evening
  in.window = weekdays_9_to_17();
  auto result = plan_send_times(in);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "send_by");
}

TEST(PlanSendTimes, WindowClosedUntilSendByFailsEvenWithoutRecipients) {
  SendPlanInput in;
  in.launch_at = at(0, 17);  // Monday after closing
  in.send_by = at(1, 9);     // Tuesday at opening (exclusive)
  in.window = weekdays_9_to_17();
  auto result = plan_send_times(in);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "send_by");
}

}  // namespace
}  // namespace phishdrill
