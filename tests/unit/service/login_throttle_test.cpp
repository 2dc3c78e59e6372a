#include "service/login_throttle.h"

#include <gtest/gtest.h>

namespace phishdrill::service {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;
constexpr int kMax = 3;
constexpr int kLockout = 60;

// One failed attempt, as the login handler makes it; returns reserve()'s answer.
int fail(LoginThrottle& t, const std::string& key, std::int64_t now) {
  const int wait = t.reserve(key, now, kMax, kLockout);
  if (wait == 0) t.settle_failure(key, now, kMax, kLockout);
  return wait;
}

TEST(LoginThrottle, UnknownKeyMayTry) {
  LoginThrottle t;
  EXPECT_EQ(t.reserve("ip:1.2.3.4", kT0, kMax, kLockout), 0);
}

TEST(LoginThrottle, LocksAfterMaxFailures) {
  LoginThrottle t;
  for (int i = 0; i < kMax; ++i) EXPECT_EQ(fail(t, "k", kT0 + i), 0) << "failure " << i + 1;
  EXPECT_EQ(t.reserve("k", kT0 + 2, kMax, kLockout), kLockout);
}

TEST(LoginThrottle, LockoutCountsDownThenUnlocks) {
  LoginThrottle t;
  for (int i = 0; i < kMax; ++i) fail(t, "k", kT0);
  EXPECT_EQ(t.reserve("k", kT0 + 1, kMax, kLockout), 59);
  EXPECT_EQ(t.reserve("k", kT0 + 59, kMax, kLockout), 1);
  EXPECT_EQ(t.reserve("k", kT0 + 60, kMax, kLockout), 0);
}

TEST(LoginThrottle, KeysAreIndependent) {
  LoginThrottle t;
  for (int i = 0; i < kMax; ++i) fail(t, "a", kT0);
  EXPECT_GT(t.reserve("a", kT0, kMax, kLockout), 0);
  EXPECT_EQ(t.reserve("b", kT0, kMax, kLockout), 0);
}

TEST(LoginThrottle, ParallelAttemptsCannotOvertakeTheLimit) {
  // Reservations happen before any password check finishes.
  LoginThrottle t;
  for (int i = 0; i < kMax; ++i) EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), 0);
  EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), kLockout);  // the 4th is refused
}

TEST(LoginThrottle, ARefundedSuccessDoesNotCount) {
  LoginThrottle t;
  for (int i = 0; i < kMax - 1; ++i) fail(t, "k", kT0);
  ASSERT_EQ(t.reserve("k", kT0, kMax, kLockout), 0);
  t.refund("k");                    // that attempt succeeded
  EXPECT_EQ(fail(t, "k", kT0), 0);  // brings the count to the limit, now locked
  EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), kLockout);
}

TEST(LoginThrottle, WindowResetsAfterLockoutSeconds) {
  LoginThrottle t;
  for (int i = 0; i < kMax - 1; ++i) fail(t, "k", kT0);
  // Older failures fall out of the window: a late one starts a new count.
  EXPECT_EQ(fail(t, "k", kT0 + kLockout + 1), 0);
  EXPECT_EQ(t.reserve("k", kT0 + kLockout + 2, kMax, kLockout), 0);
}

}  // namespace
}  // namespace phishdrill::service
