#include "api/login_throttle.h"

#include <gtest/gtest.h>

namespace phishdrill::api {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;
constexpr int kMax = 3;
constexpr int kLockout = 60;

TEST(LoginThrottle, UnknownKeyMayTry) {
  LoginThrottle throttle;
  EXPECT_EQ(throttle.retry_after("ip:1.2.3.4", kT0), 0);
}

TEST(LoginThrottle, LocksAfterMaxFailures) {
  LoginThrottle throttle;
  for (int i = 0; i < kMax - 1; ++i) {
    throttle.record_failure("k", kT0 + i, kMax, kLockout);
    EXPECT_EQ(throttle.retry_after("k", kT0 + i), 0) << "after failure " << i + 1;
  }
  throttle.record_failure("k", kT0 + 5, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", kT0 + 5), kLockout);
}

TEST(LoginThrottle, RetryAfterCountsDownThenUnlocks) {
  LoginThrottle throttle;
  for (int i = 0; i < kMax; ++i) throttle.record_failure("k", kT0, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", kT0), 60);
  EXPECT_EQ(throttle.retry_after("k", kT0 + 1), 59);
  EXPECT_EQ(throttle.retry_after("k", kT0 + 59), 1);
  EXPECT_EQ(throttle.retry_after("k", kT0 + 60), 0);
  EXPECT_EQ(throttle.retry_after("k", kT0 + 1000), 0);
}

TEST(LoginThrottle, KeysAreIndependent) {
  LoginThrottle throttle;
  for (int i = 0; i < kMax; ++i) throttle.record_failure("a", kT0, kMax, kLockout);
  EXPECT_GT(throttle.retry_after("a", kT0), 0);
  EXPECT_EQ(throttle.retry_after("b", kT0), 0);
}

TEST(LoginThrottle, WindowResetsAfterLockoutSeconds) {
  LoginThrottle throttle;
  for (int i = 0; i < kMax - 1; ++i) throttle.record_failure("k", kT0, kMax, kLockout);
  // Older failures fall out of the window: a late one starts a new count.
  throttle.record_failure("k", kT0 + kLockout + 1, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", kT0 + kLockout + 1), 0);
  throttle.record_failure("k", kT0 + kLockout + 2, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", kT0 + kLockout + 2), 0);
  throttle.record_failure("k", kT0 + kLockout + 3, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", kT0 + kLockout + 3), kLockout);
}

TEST(LoginThrottle, FailuresWithinWindowAccumulate) {
  LoginThrottle throttle;
  throttle.record_failure("k", kT0, kMax, kLockout);
  throttle.record_failure("k", kT0 + kLockout / 2, kMax, kLockout);
  throttle.record_failure("k", kT0 + kLockout, kMax, kLockout);  // still inside (inclusive)
  EXPECT_EQ(throttle.retry_after("k", kT0 + kLockout), kLockout);
}

TEST(LoginThrottle, AfterLockoutExpiresCountStartsAgain) {
  LoginThrottle throttle;
  for (int i = 0; i < kMax; ++i) throttle.record_failure("k", kT0, kMax, kLockout);
  const auto later = kT0 + kLockout;
  EXPECT_EQ(throttle.retry_after("k", later), 0);
  throttle.record_failure("k", later, kMax, kLockout);
  EXPECT_EQ(throttle.retry_after("k", later), 0);  // one failure does not re-lock
}

TEST(LoginThrottle, MaxOfOneLocksImmediately) {
  LoginThrottle throttle;
  throttle.record_failure("k", kT0, 1, 10);
  EXPECT_EQ(throttle.retry_after("k", kT0), 10);
}

}  // namespace
}  // namespace phishdrill::api
