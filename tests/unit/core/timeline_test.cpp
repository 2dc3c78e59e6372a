#include "core/timeline.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(BucketForSpan, PicksTheSmallestRoundBucketGivingFewerThan200) {
  EXPECT_EQ(bucket_for_span(0), 60);
  EXPECT_EQ(bucket_for_span(199 * 60 + 59), 60);
  EXPECT_EQ(bucket_for_span(200 * 60), 300);
  EXPECT_EQ(bucket_for_span(86400), 900);            // a day in quarter hours
  EXPECT_EQ(bucket_for_span(30 * 86400), 21600);     // a month in six hours
  EXPECT_EQ(bucket_for_span(199 * 604800), 604800);  // weeks
  EXPECT_EQ(bucket_for_span(200 * 604800), 2592000);
}

}  // namespace
}  // namespace phishdrill
