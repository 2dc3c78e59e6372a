// RetryPolicy: when a temporarily refused message is tried again, and when
// the dispatcher gives up. Exponential backoff: base, 2×base, 4×base, … capped
// at max_delay; after max_attempts the recipient fails. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace phishdrill {

struct RetryPolicy {
  int base_delay_seconds = 60;
  int max_delay_seconds = 3600;
  int max_attempts = 8;

  // Delay before attempt `attempts + 1`, or nullopt when no attempt is left.
  std::optional<std::int64_t> delay_after(int attempts) const {
    if (attempts >= max_attempts) return std::nullopt;
    std::int64_t delay = base_delay_seconds;
    for (int i = 1; i < attempts && delay < max_delay_seconds; ++i) delay *= 2;
    return delay < max_delay_seconds ? delay : max_delay_seconds;
  }
};

}  // namespace phishdrill
