#include "core/send_slot.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace phishdrill {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kT0 = 1796083200 * kSecond;

// Takes slots at `now` until one is refused; returns how many were taken.
int drain(std::int64_t& tat, std::int64_t now, SendSlotRate rate) {
  int taken = 0;
  for (;;) {
    const auto d = take_send_slot(tat, now, rate);
    if (!d.taken) return taken;
    tat = d.tat;
    ++taken;
  }
}

TEST(SendSlot, RatesBelowOneASecondAllowOneAtATime) {
  const auto rate = send_slot_rate(30);  // one every 2 s
  EXPECT_EQ(rate.interval_us, 2 * kSecond);
  EXPECT_EQ(rate.tolerance_us, 0);
  std::int64_t tat = 0;
  EXPECT_EQ(drain(tat, kT0, rate), 1);
  const auto refused = take_send_slot(tat, kT0, rate);
  EXPECT_FALSE(refused.taken);
  EXPECT_EQ(refused.wait_us, 2 * kSecond);
  EXPECT_EQ(refused.tat, tat);
  EXPECT_TRUE(take_send_slot(tat, kT0 + 2 * kSecond, rate).taken);
}

TEST(SendSlot, TheBurstIsOneSecondsWorth) {
  const auto rate = send_slot_rate(6000);  // 100 a second
  std::int64_t tat = 0;
  EXPECT_EQ(drain(tat, kT0, rate), 100);
  const auto refused = take_send_slot(tat, kT0, rate);
  EXPECT_EQ(refused.wait_us, rate.interval_us);
  // Waiting exactly what was asked always yields a slot.
  EXPECT_TRUE(take_send_slot(tat, kT0 + refused.wait_us, rate).taken);
}

TEST(SendSlot, NeverMoreThanTheRateOverAnyWindow) {
  const auto rate = send_slot_rate(600);  // 10 a second, burst 10
  std::int64_t tat = 0;
  int sent = 0;
  // Ask every millisecond for 10 s: at most the burst plus 10 a second.
  for (std::int64_t t = kT0; t < kT0 + 10 * kSecond; t += 1000) {
    const auto d = take_send_slot(tat, t, rate);
    if (d.taken) {
      tat = d.tat;
      ++sent;
    }
  }
  EXPECT_LE(sent, 10 + 100);
  EXPECT_GE(sent, 100);
}

TEST(SendSlot, AnIdleProfileGetsItsBurstBackButNoMore) {
  const auto rate = send_slot_rate(120);  // 2 a second
  std::int64_t tat = 0;
  EXPECT_EQ(drain(tat, kT0, rate), 2);
  EXPECT_EQ(drain(tat, kT0 + 3600 * kSecond, rate), 2);
}

}  // namespace
}  // namespace phishdrill
