// RecentEventIds: the scan bound of address look-ups must never skip an event
// at or after `from`, whatever order events were appended in.
#include "store/sqlite/recent_event_ids.h"

#include <gtest/gtest.h>

namespace phishdrill::sqlite {
namespace {

TEST(RecentEventIdsTest, NothingSeenMeansScanFromTheStart) {
  const RecentEventIds ids;
  EXPECT_EQ(ids.lower_bound(1000), 0);
}

TEST(RecentEventIdsTest, BoundIsTheLowestIdAtOrAfterFrom) {
  RecentEventIds ids;
  ids.appended(10, 1000);
  ids.appended(11, 1005);
  ids.appended(12, 1010);
  EXPECT_EQ(ids.lower_bound(1005), 11);
  EXPECT_EQ(ids.lower_bound(1006), 12);
  EXPECT_EQ(ids.lower_bound(1010), 12);
}

TEST(RecentEventIdsTest, AHitAppendedLateKeepsItsEarlierTimeCovered) {
  RecentEventIds ids;
  ids.appended(10, 1000);
  ids.appended(11, 1020);
  ids.appended(12, 1008);  // waited in a queue: appended after a later one
  EXPECT_EQ(ids.lower_bound(1005), 11);
  EXPECT_EQ(ids.lower_bound(1015), 11);
  EXPECT_EQ(ids.lower_bound(1021), 13);  // nothing since: only ids to come
}

TEST(RecentEventIdsTest, EarlierThanTheFirstEventSeenScansFromTheStart) {
  RecentEventIds ids;
  ids.appended(500, 1000);  // events of an earlier run may reach up to here
  ids.appended(501, 1001);
  EXPECT_EQ(ids.lower_bound(1000), 0);
  EXPECT_EQ(ids.lower_bound(999), 0);
  EXPECT_EQ(ids.lower_bound(1001), 501);
}

TEST(RecentEventIdsTest, OlderThanTheRetentionScansFromTheStart) {
  RecentEventIds ids;
  ids.appended(1, 1000);
  ids.appended(2, 1010);
  ids.appended(3, 1010 + RecentEventIds::kRetentionSeconds);
  EXPECT_EQ(ids.lower_bound(1005), 0);
  EXPECT_EQ(ids.lower_bound(1010), 2);
}

}  // namespace
}  // namespace phishdrill::sqlite
