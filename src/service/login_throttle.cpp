#include "service/login_throttle.h"

#include <fmt/format.h>

namespace phishdrill::service {

std::unexpected<Error> refuse_locked(int seconds, std::string_view what) {
  return std::unexpected(
      Error{ErrorCode::kRateLimited,
            fmt::format("too many failed {}; try again in {} seconds", what, seconds),
            {},
            {},
            seconds});
}

int LoginThrottle::reserve(const std::string& key, std::int64_t now, int max_failures,
                           int lockout_seconds) {
  MutexLock lock(mutex_);
  if (entries_.size() >= kMaxKeys) {  // forget keys that are neither locked nor recent
    std::erase_if(entries_, [&](const auto& e) {
      return e.second.locked_until <= now && now - e.second.window_start > lockout_seconds;
    });
  }
  auto& entry = entries_[key];
  if (entry.locked_until > now) return static_cast<int>(entry.locked_until - now);
  if (now - entry.window_start > lockout_seconds) {
    entry.failures = 0;
    entry.window_start = now;
  }
  if (entry.failures >= max_failures) {  // parallel attempts overtook the limit
    entry.locked_until = now + lockout_seconds;
    entry.failures = 0;
    entry.window_start = now;
    return lockout_seconds;
  }
  ++entry.failures;
  return 0;
}

void LoginThrottle::refund(const std::string& key) {
  MutexLock lock(mutex_);
  if (auto it = entries_.find(key); it != entries_.end() && it->second.failures > 0) {
    --it->second.failures;
  }
}

void LoginThrottle::clear(const std::string& key) {
  MutexLock lock(mutex_);
  entries_.erase(key);
}

bool LoginThrottle::settle_failure(const std::string& key, std::int64_t now, int max_failures,
                                   int lockout_seconds) {
  MutexLock lock(mutex_);
  auto& entry = entries_[key];
  if (entry.locked_until <= now && entry.failures >= max_failures) {
    entry.locked_until = now + lockout_seconds;
    entry.failures = 0;
    entry.window_start = now;
    return true;
  }
  return false;
}

}  // namespace phishdrill::service
