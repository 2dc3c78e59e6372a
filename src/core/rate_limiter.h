// RateLimiter: one token bucket per key (a sending profile), refilled at
// `per_minute` tokens a minute with a burst of one second's worth (at least
// one). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>

#include "core/mutex.h"

namespace phishdrill {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes a token for `key` when one is available and returns zero;
  // otherwise returns how long to wait before trying again. per_minute <= 0
  // means unlimited.
  Clock::duration try_acquire(std::int64_t key, int per_minute, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
    int per_minute = 0;
  };
  static constexpr std::size_t kMaxBuckets = 100000;
  Mutex mutex_;  // guards buckets_
  std::map<std::int64_t, Bucket> buckets_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill
