// The organisation's metrics (core/phish_metrics.h) on a seeded history of
// five people, against values counted by hand.
#include "core/phish_metrics.h"

#include <gtest/gtest.h>

#include <vector>

namespace phishdrill {
namespace {

constexpr std::int64_t kFrom = 1793491200;  // 2026-11-01 00:00 UTC
constexpr std::int64_t kTo = 1796083200;    // 2026-12-01 00:00 UTC
constexpr std::int64_t kDay = 86400;

SimulationRecord sent(std::int64_t at) {
  SimulationRecord r;
  r.delivered_at = at;
  return r;
}

TrainingRecord training(std::int64_t assigned, std::int64_t due,
                        std::optional<std::int64_t> completed = std::nullopt) {
  TrainingRecord t;
  t.assigned_at = assigned;
  t.due_at = due;
  t.completed_at = completed;
  return t;
}

// P1: clicked one (day 1), reported one after 600 s (day 2); training passed.
// P2: submitted and reported after 3600 s (day 1), clicked another (day 5);
//     training overdue.
// P3: did nothing with one (day 1); clicked one delivered before the period.
// P4: one delivered at `to` itself (the next period); training assigned before.
// P5: reported one after 1200 s (day 3).
std::vector<PersonHistory> seeded() {
  PersonHistory p1, p2, p3, p4, p5;
  auto s1 = sent(kFrom + kDay);
  s1.funnel = advance(s1.funnel, 2, false, s1.delivered_at + 30);
  auto s2 = sent(kFrom + 2 * kDay);
  s2.funnel = advance(s2.funnel, 0, true, s2.delivered_at + 600);
  p1.simulations = {s1, s2};
  p1.training = {training(kFrom + kDay, kFrom + 8 * kDay, kFrom + 3 * kDay)};
  auto s3 = sent(kFrom + kDay);
  s3.funnel = advance(s3.funnel, 3, false, s3.delivered_at + 40);
  s3.funnel = advance(s3.funnel, 0, true, s3.delivered_at + 3600);
  auto s4 = sent(kFrom + 5 * kDay);
  s4.funnel = advance(s4.funnel, 2, false, s4.delivered_at + 10);
  p2.simulations = {s3, s4};
  p2.training = {training(kFrom + kDay, kFrom + 2 * kDay)};
  auto s6 = sent(kFrom - kDay);
  s6.funnel = advance(s6.funnel, 2, false, s6.delivered_at + 5);
  p3.simulations = {sent(kFrom + kDay), s6};
  p4.simulations = {sent(kTo)};
  p4.training = {training(kFrom - 5 * kDay, kFrom - kDay)};
  auto s8 = sent(kFrom + 3 * kDay);
  s8.funnel = advance(s8.funnel, 0, true, s8.delivered_at + 1200);
  p5.simulations = {s8};
  return {p1, p2, p3, p4, p5};
}

TEST(PhishMetrics, ASeededMonthCountedByHand) {
  const auto people = seeded();
  const PhishMetrics m = phish_metrics(people, kFrom, kTo);
  EXPECT_EQ(m.people_delivered, 4);  // P1, P2, P3, P5
  EXPECT_EQ(m.people_failed, 2);     // P1, P2
  EXPECT_EQ(m.people_reported, 3);   // P1, P2, P5
  EXPECT_EQ(m.repeat_clickers, 1);   // P2
  EXPECT_EQ(m.delivered, 6);         // s1 s2 s3 s4 s5 s8
  EXPECT_EQ(m.failed, 3);            // s1 s3 s4
  EXPECT_EQ(m.reported, 3);          // s2 s3 s8
  EXPECT_DOUBLE_EQ(m.phish_prone.value(), 0.5);
  EXPECT_DOUBLE_EQ(m.report_rate.value(), 0.5);
  EXPECT_EQ(m.median_seconds_to_report, 1200);  // 600, 1200, 3600
  EXPECT_DOUBLE_EQ(m.resilience_ratio.value(), 1.5);
  EXPECT_EQ(m.training_assigned, 2);
  EXPECT_EQ(m.training_completed, 1);
  EXPECT_EQ(m.training_overdue, 1);
}

TEST(PhishMetrics, AnEvenNumberOfReportsTakesTheMiddleTwo) {
  auto people = seeded();
  auto extra = sent(kFrom + 4 * kDay);
  extra.funnel = advance(extra.funnel, 0, true, extra.delivered_at + 3000);
  people[4].simulations.push_back(extra);  // 600, 1200, 3000, 3600
  EXPECT_EQ(phish_metrics(people, kFrom, kTo).median_seconds_to_report, 2100);
}

TEST(PhishMetrics, NothingDeliveredMeansNoRates) {
  const PhishMetrics m = phish_metrics({}, kFrom, kTo);
  EXPECT_FALSE(m.phish_prone.has_value());
  EXPECT_FALSE(m.report_rate.has_value());
  EXPECT_FALSE(m.median_seconds_to_report.has_value());
  EXPECT_FALSE(m.resilience_ratio.has_value());
  std::vector<PersonHistory> only_reporters(1);
  auto s = sent(kFrom);
  s.funnel = advance(s.funnel, 0, true, kFrom + 60);
  only_reporters[0].simulations = {s};
  const PhishMetrics r = phish_metrics(only_reporters, kFrom, kTo);
  EXPECT_DOUBLE_EQ(r.phish_prone.value(), 0.0);
  EXPECT_FALSE(r.resilience_ratio.has_value());  // nobody failed: no ratio, not infinity
}

}  // namespace
}  // namespace phishdrill
