#include "jobs/rate_limiter.h"

#include <algorithm>

namespace phishdrill::jobs {

RateLimiter::Clock::duration RateLimiter::try_acquire(std::int64_t key, int per_minute,
                                                      Clock::time_point now) {
  if (per_minute <= 0) return Clock::duration::zero();
  const double rate = per_minute / 60.0;  // tokens per second
  const double burst = std::max(1.0, rate);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (inserted || b.per_minute != per_minute) {
    b = Bucket{burst, now, per_minute};
  } else {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return Clock::duration::zero();
  }
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>((1.0 - b.tokens) / rate));
}

}  // namespace phishdrill::jobs
