#include "core/rate_limiter.h"

#include <algorithm>

namespace phishdrill {

RateLimiter::Clock::duration RateLimiter::try_acquire(std::int64_t key, int per_minute,
                                                      Clock::time_point now) {
  if (per_minute <= 0) return Clock::duration::zero();
  const double rate = per_minute / 60.0;  // tokens per second
  const double burst = std::max(1.0, rate);
  MutexLock lock(mutex_);
  // Bounded memory whatever the number of keys (e.g. client addresses):
  // forgetting a bucket only ever grants a fresh burst.
  if (buckets_.size() >= kMaxBuckets && !buckets_.contains(key)) buckets_.clear();
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (inserted || b.per_minute != per_minute) {
    b = Bucket{burst, now, per_minute};
  } else {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.updated = now;
  }
  // Tolerate floating-point dust so that waiting exactly the reported time
  // always yields a token.
  constexpr double kEpsilon = 1e-9;
  if (b.tokens >= 1.0 - kEpsilon) {
    b.tokens = std::max(0.0, b.tokens - 1.0);
    return Clock::duration::zero();
  }
  // Rounded up, so the wait is never reported as zero without a token.
  return std::max(Clock::duration(1), std::chrono::ceil<Clock::duration>(
                                          std::chrono::duration<double>((1.0 - b.tokens) / rate)));
}

}  // namespace phishdrill
