// Planning a campaign's sends at launch: which template each person gets and
// when their message goes out. Deterministic for a given seed, so a launch can
// be reasoned about and tested. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/campaign.h"
#include "core/error.h"

namespace phishdrill {

// A 64-bit mix of (seed, key): the building block for reproducible choices.
std::uint64_t mix64(std::uint64_t seed, std::uint64_t key);

// Index into `weights` (all ≥ 1) chosen for `key` with probability
// proportional to its weight.
std::size_t pick_weighted(std::uint64_t seed, std::uint64_t key, const std::vector<int>& weights);

struct SendPlanInput {
  std::size_t count = 0;
  std::int64_t launch_at = 0;
  std::int64_t send_by = 0;  // 0 = no deadline: pace at rate_per_minute
  int rate_per_minute = 0;   // used only without send_by; 0 = all at once
  int jitter_seconds = 0;
  SendWindow window;
  std::uint64_t seed = 0;
};

// One send time (Unix seconds) per position 0..count-1, non-decreasing before
// jitter. With send_by, positions spread evenly over the open seconds of
// [launch_at, send_by) at one-second granularity; without it, paced at the
// rate inside open seconds. Jitter adds a reproducible random delay that never
// passes send_by nor leaves the window. The caller shuffles who gets which
// position (see shuffled_order).
// Fails with kValidation (field "send_by") when the window has no open second
// between launch_at and send_by.
Result<std::vector<std::int64_t>> plan_send_times(const SendPlanInput& input);

// A reproducible permutation of 0..count-1.
std::vector<std::size_t> shuffled_order(std::size_t count, std::uint64_t seed);

}  // namespace phishdrill
