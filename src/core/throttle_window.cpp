#include "core/throttle_window.h"

namespace phishdrill {
namespace {

void lock(ThrottleWindow& w, std::int64_t now, int lockout_seconds) {
  w.locked_until = now + lockout_seconds;
  w.failures = 0;
  w.window_start = now;
}

}  // namespace

int reserve_attempt(ThrottleWindow& w, std::int64_t now, int max_failures, int lockout_seconds) {
  if (w.locked_until > now) return static_cast<int>(w.locked_until - now);
  if (now - w.window_start > lockout_seconds) {
    w.failures = 0;
    w.window_start = now;
  }
  if (w.failures >= max_failures) {  // parallel attempts overtook the limit
    lock(w, now, lockout_seconds);
    return lockout_seconds;
  }
  ++w.failures;
  return 0;
}

void refund_attempt(ThrottleWindow& w) {
  if (w.failures > 0) --w.failures;
}

bool settle_failed_attempt(ThrottleWindow& w, std::int64_t now, int max_failures,
                           int lockout_seconds) {
  if (w.locked_until > now || w.failures < max_failures) return false;
  lock(w, now, lockout_seconds);
  return true;
}

bool throttle_idle(const ThrottleWindow& w, std::int64_t now, int lockout_seconds) {
  return w.locked_until <= now && (w.failures == 0 || now - w.window_start > lockout_seconds);
}

}  // namespace phishdrill
