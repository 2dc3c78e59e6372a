// Funnel: hits move a person forward once per step; counters follow the
// difference between two funnels.
#include "core/funnel.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(FunnelTest, AClickDatesOpenAndClickAtOnce) {
  const Funnel after = advance({}, 2, false, 100);
  EXPECT_EQ(after.rank, 2);
  EXPECT_EQ(after.first_opened_at, 100);
  EXPECT_EQ(after.first_clicked_at, 100);
  EXPECT_EQ(after.first_submitted_at, 0);
  EXPECT_EQ(after.reported_at, 0);
}

TEST(FunnelTest, NeverMovesBackAndKeepsFirstTimes) {
  const Funnel clicked = advance(advance({}, 1, false, 100), 2, false, 200);
  EXPECT_EQ(clicked.first_opened_at, 100);
  EXPECT_EQ(clicked.first_clicked_at, 200);
  const Funnel again = advance(clicked, 1, false, 300);
  EXPECT_EQ(again, clicked);
}

TEST(FunnelTest, AReportIsDatedOnceWhateverTheRank) {
  const Funnel reported = advance({}, 0, true, 50);
  EXPECT_EQ(reported.rank, 0);
  EXPECT_EQ(reported.reported_at, 50);
  EXPECT_EQ(advance(reported, 0, true, 90).reported_at, 50);
}

TEST(FunnelTest, CountersCountPeopleNotHits) {
  const Funnel opened = advance({}, 1, false, 10);
  const Funnel submitted = advance(opened, 3, true, 20);
  const CounterDelta up = counter_delta(opened, submitted);
  EXPECT_EQ(up.opened, 0);
  EXPECT_EQ(up.clicked, 1);
  EXPECT_EQ(up.submitted, 1);
  EXPECT_EQ(up.reported, 1);
  EXPECT_TRUE(counter_delta(submitted, submitted).empty());
}

TEST(FunnelTest, GoingBackTakesThePersonOutOfTheSteps) {
  const Funnel clicked = advance({}, 2, false, 10);
  const CounterDelta down = counter_delta(clicked, Funnel{});
  EXPECT_EQ(down.opened, -1);
  EXPECT_EQ(down.clicked, -1);
  EXPECT_EQ(down.submitted, 0);
  EXPECT_FALSE(down.empty());
}

}  // namespace
}  // namespace phishdrill
