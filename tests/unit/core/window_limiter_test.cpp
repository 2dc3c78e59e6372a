#include "core/window_limiter.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(WindowLimiter, AllowsTheLimitPerWindowAndKey) {
  WindowLimiter limiter(3, 60);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("a", 1000 + i));
  EXPECT_FALSE(limiter.allow("a", 1010));
  EXPECT_TRUE(limiter.allow("b", 1010));  // another key has its own window
  EXPECT_FALSE(limiter.allow("a", 1059));
  EXPECT_TRUE(limiter.allow("a", 1060));  // a new window
}

}  // namespace
}  // namespace phishdrill
