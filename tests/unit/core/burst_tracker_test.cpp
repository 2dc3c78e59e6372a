#include "core/burst_tracker.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace phishdrill {
namespace {

constexpr std::int64_t kT = 1'717'000'000;

TEST(BurstTracker, CountsDistinctRecipientsPerAddress) {
  BurstTracker bursts(10);
  EXPECT_EQ(bursts.record("198.51.100.7", 1, kT), 1);
  EXPECT_EQ(bursts.record("198.51.100.7", 2, kT), 2);
  EXPECT_EQ(bursts.record("198.51.100.7", 3, kT + 1), 3);
  EXPECT_EQ(bursts.record("198.51.100.7", 4, kT + 2), 4);
  EXPECT_EQ(bursts.record("198.51.100.7", 5, kT + 2), 5);
  // Another address has its own count.
  EXPECT_EQ(bursts.record("203.0.113.9", 1, kT + 2), 1);
  EXPECT_EQ(bursts.record("203.0.113.9", 6, kT + 3), 2);
}

TEST(BurstTracker, RepeatedRecipientCountsOnce) {
  BurstTracker bursts(10);
  // One person opening, clicking and submitting is one recipient, however often.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(bursts.record("198.51.100.7", 42, kT + i), 1);
  EXPECT_EQ(bursts.record("198.51.100.7", 43, kT + 6), 2);
  EXPECT_EQ(bursts.record("198.51.100.7", 42, kT + 7), 2);
  EXPECT_EQ(bursts.record("198.51.100.7", 43, kT + 8), 2);
}

TEST(BurstTracker, WindowSlides) {
  BurstTracker bursts(10);
  EXPECT_EQ(bursts.record("198.51.100.7", 1, kT), 1);
  EXPECT_EQ(bursts.record("198.51.100.7", 2, kT + 3), 2);
  EXPECT_EQ(bursts.record("198.51.100.7", 3, kT + 6), 3);
  EXPECT_EQ(bursts.record("198.51.100.7", 4, kT + 9), 4);  // all within 10 s
  // At kT+10 the hit at kT is exactly a window old and no longer counts.
  EXPECT_EQ(bursts.record("198.51.100.7", 5, kT + 10), 4);
  EXPECT_EQ(bursts.record("198.51.100.7", 6, kT + 12), 5);  // 2..6 are within (kT+2, kT+12]
  // Long quiet: everything before has expired.
  EXPECT_EQ(bursts.record("198.51.100.7", 7, kT + 100), 1);
}

TEST(BurstTracker, RecipientStillCountsWhileAnyOfItsHitsIsInTheWindow) {
  BurstTracker bursts(10);
  EXPECT_EQ(bursts.record("198.51.100.7", 1, kT), 1);
  EXPECT_EQ(bursts.record("198.51.100.7", 1, kT + 8), 1);
  EXPECT_EQ(bursts.record("198.51.100.7", 2, kT + 15), 2);  // recipient 1's hit at kT+8 counts
  EXPECT_EQ(bursts.record("198.51.100.7", 3, kT + 18), 2);  // … now it has expired
}

TEST(BurstTracker, ColleaguesMinutesApartNeverReachABurst) {
  BurstTracker bursts(10);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(bursts.record("203.0.113.10", 100 + i, kT + 90 * i), 1) << i;
  }
}

TEST(BurstTracker, IdleAddressesAreForgottenWithoutLosingActiveOnes) {
  BurstTracker bursts(10);
  for (int i = 0; i < 50; ++i) bursts.record("192.0.2." + std::to_string(i), i, kT);
  EXPECT_EQ(bursts.record("198.51.100.7", 1, kT + 100), 1);  // triggers a sweep
  EXPECT_EQ(bursts.record("198.51.100.7", 2, kT + 101), 2);
  EXPECT_EQ(bursts.record("192.0.2.3", 77, kT + 102), 1);  // its old hit is gone
}

}  // namespace
}  // namespace phishdrill
