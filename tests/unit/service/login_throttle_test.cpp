#include "service/login_throttle.h"

#include <gtest/gtest.h>

#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;
constexpr int kMax = 3;
constexpr int kLockout = 60;

// The throttle keeps nothing itself: every instance on one store is one
// more node, and they all count the same attempts.
using LoginThrottleTest = testing_support::StoreFixture;

// One failed attempt, as the login handler makes it; returns reserve()'s answer.
int fail(LoginThrottle& t, const std::string& key, std::int64_t now) {
  const int wait = t.reserve(key, now, kMax, kLockout);
  if (wait == 0) t.settle_failure(key, now, kMax, kLockout);
  return wait;
}

TEST_F(LoginThrottleTest, UnknownKeyMayTry) {
  LoginThrottle t{*store_};
  EXPECT_EQ(t.reserve("ip:1.2.3.4", kT0, kMax, kLockout), 0);
}

TEST_F(LoginThrottleTest, LocksAfterMaxFailures) {
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax; ++i) EXPECT_EQ(fail(t, "k", kT0 + i), 0) << "failure " << i + 1;
  EXPECT_EQ(t.reserve("k", kT0 + 2, kMax, kLockout), kLockout);
}

TEST_F(LoginThrottleTest, LockoutCountsDownThenUnlocks) {
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax; ++i) fail(t, "k", kT0);
  EXPECT_EQ(t.reserve("k", kT0 + 1, kMax, kLockout), 59);
  EXPECT_EQ(t.reserve("k", kT0 + 59, kMax, kLockout), 1);
  EXPECT_EQ(t.reserve("k", kT0 + 60, kMax, kLockout), 0);
}

TEST_F(LoginThrottleTest, KeysAreIndependent) {
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax; ++i) fail(t, "a", kT0);
  EXPECT_GT(t.reserve("a", kT0, kMax, kLockout), 0);
  EXPECT_EQ(t.reserve("b", kT0, kMax, kLockout), 0);
}

TEST_F(LoginThrottleTest, ParallelAttemptsCannotOvertakeTheLimit) {
  // Reservations happen before any password check finishes.
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax; ++i) EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), 0);
  EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), kLockout);  // the 4th is refused
}

TEST_F(LoginThrottleTest, ARefundedSuccessDoesNotCount) {
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax - 1; ++i) fail(t, "k", kT0);
  ASSERT_EQ(t.reserve("k", kT0, kMax, kLockout), 0);
  t.refund("k");                    // that attempt succeeded
  EXPECT_EQ(fail(t, "k", kT0), 0);  // brings the count to the limit, now locked
  EXPECT_EQ(t.reserve("k", kT0, kMax, kLockout), kLockout);
}

TEST_F(LoginThrottleTest, WindowResetsAfterLockoutSeconds) {
  LoginThrottle t{*store_};
  for (int i = 0; i < kMax - 1; ++i) fail(t, "k", kT0);
  // Older failures fall out of the window: a late one starts a new count.
  EXPECT_EQ(fail(t, "k", kT0 + kLockout + 1), 0);
  EXPECT_EQ(t.reserve("k", kT0 + kLockout + 2, kMax, kLockout), 0);
}

TEST_F(LoginThrottleTest, EveryNodeCountsTheSameAttempts) {
  LoginThrottle a{*store_}, b{*store_}, c{*store_};
  EXPECT_EQ(fail(a, "ip:1.2.3.4", kT0), 0);
  EXPECT_EQ(fail(b, "ip:1.2.3.4", kT0), 0);
  EXPECT_EQ(fail(c, "ip:1.2.3.4", kT0), 0);
  EXPECT_EQ(a.reserve("ip:1.2.3.4", kT0, kMax, kLockout), kLockout);
  EXPECT_EQ(b.reserve("ip:1.2.3.4", kT0 + 1, kMax, kLockout), kLockout - 1);
  c.clear("ip:1.2.3.4");
  EXPECT_EQ(a.reserve("ip:1.2.3.4", kT0 + 1, kMax, kLockout), 0);
}

TEST_F(LoginThrottleTest, WindowsThatCountNothingAreSwept) {
  LoginThrottle t{*store_};
  fail(t, "old", kT0);
  // 100 s later the first reservation sweeps: "old" counts nothing any more.
  for (int i = 0; i < kMax; ++i) fail(t, "locked", kT0 + 100);
  write([&](Repositories& repos) {
    EXPECT_EQ(repos.throttles.lock_window("old").window_start, 0);
    EXPECT_EQ(repos.throttles.lock_window("locked").locked_until, kT0 + 100 + kLockout);
  });
}

}  // namespace
}  // namespace phishdrill::service
