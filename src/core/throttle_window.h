// ThrottleWindow: the failed attempts counted against one key (a client
// address; an account and address; an email nobody has) in a sliding window,
// and the lockout they led to. Attempts are counted *before* the slow check
// (reserve) and given back when they succeed (refund), so parallel guesses
// cannot all slip past the limit. Pure functions over the state a store row
// holds (store/throttles_repository.h); times are seconds.
#pragma once

#include <cstdint>

namespace phishdrill {

struct ThrottleWindow {
  int failures = 0;
  std::int64_t window_start = 0;
  std::int64_t locked_until = 0;
};

// Counts an attempt. Returns the seconds to wait when the key is locked (the
// attempt is refused and not counted), else 0.
int reserve_attempt(ThrottleWindow& w, std::int64_t now, int max_failures, int lockout_seconds);
// The reserved attempt succeeded: it no longer counts.
void refund_attempt(ThrottleWindow& w);
// The reserved attempt failed: locks the key once its count reaches
// `max_failures`. True when this failure locked it.
bool settle_failed_attempt(ThrottleWindow& w, std::int64_t now, int max_failures,
                           int lockout_seconds);
// Neither locked nor counting at `now` for windows of `lockout_seconds`:
// forgetting it changes nothing.
bool throttle_idle(const ThrottleWindow& w, std::int64_t now, int lockout_seconds);

}  // namespace phishdrill
