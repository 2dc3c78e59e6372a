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

// The tracking routes keep a second tracker for the sweep rule, keyed by
// address + "|" + user agent over the sweep window (60 s by default).
std::string sweep_key(const std::string& ip, const std::string& user_agent) {
  return ip + "|" + user_agent;
}

TEST(BurstTracker, SweepKeySeparatesBrowsersBehindOneAddress) {
  BurstTracker sweeps(60);
  const std::string chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.0.0";
  const std::string edge = chrome + " Edg/124.0.2478.80";
  EXPECT_EQ(sweeps.record(sweep_key("203.0.113.10", chrome), 1, kT), 1);
  EXPECT_EQ(sweeps.record(sweep_key("203.0.113.10", chrome), 2, kT + 5), 2);
  // Same address, other browser: its own count.
  EXPECT_EQ(sweeps.record(sweep_key("203.0.113.10", edge), 3, kT + 6), 1);
  // Same browser, other address: its own count.
  EXPECT_EQ(sweeps.record(sweep_key("198.51.100.7", chrome), 4, kT + 7), 1);
  EXPECT_EQ(sweeps.record(sweep_key("203.0.113.10", chrome), 3, kT + 8), 3);
}

TEST(BurstTracker, SlowSweepReachesTheSweepThresholdButNeverABurst) {
  // One recipient every 5 s: two per 10 s burst window, but eight within 60 s.
  BurstTracker bursts(10);
  BurstTracker sweeps(60);
  const std::string ip = "52.232.14.60";
  const std::string key = sweep_key(ip, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124");
  for (int i = 0; i < 10; ++i) {
    EXPECT_LE(bursts.record(ip, 100 + i, kT + 5 * i), 2) << i;
    EXPECT_EQ(sweeps.record(key, 100 + i, kT + 5 * i), i + 1) << i;
  }
}

TEST(BurstTracker, SweepWindowSlides) {
  BurstTracker sweeps(60);
  const std::string key = sweep_key("20.31.8.44", "Mozilla/5.0");
  for (int i = 0; i < 7; ++i) EXPECT_EQ(sweeps.record(key, i, kT + 8 * i), i + 1) << i;
  // At kT+60 the hit at kT is exactly a window old and no longer counts.
  EXPECT_EQ(sweeps.record(key, 7, kT + 60), 7);
  EXPECT_EQ(sweeps.record(key, 8, kT + 62), 8);  // 1..8 within (kT+2, kT+62]
  EXPECT_EQ(sweeps.record(key, 9, kT + 200), 1);
}

}  // namespace
}  // namespace phishdrill
