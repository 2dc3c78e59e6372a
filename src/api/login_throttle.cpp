#include "api/login_throttle.h"

namespace phishdrill::api {

int LoginThrottle::retry_after(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return static_cast<int>(it->second.locked_until - now);
}

void LoginThrottle::record_failure(const std::string& key, std::int64_t now, int max_failures,
                                   int lockout_seconds) {
  std::lock_guard lock(mutex_);
  if (entries_.size() > 100000)
    std::erase_if(entries_, [&](auto& e) { return e.second.locked_until <= now; });
  auto& entry = entries_[key];
  if (now - entry.window_start > lockout_seconds) {
    entry.failures = 0;
    entry.window_start = now;
  }
  if (++entry.failures >= max_failures) {
    entry.locked_until = now + lockout_seconds;
    entry.failures = 0;
    entry.window_start = now;
  }
}

int LoginThrottle::reserve(const std::string& key, std::int64_t now, int max_failures,
                           int lockout_seconds) {
  std::lock_guard lock(mutex_);
  auto& entry = entries_[key];
  if (entry.locked_until > now) return static_cast<int>(entry.locked_until - now);
  if (now - entry.window_start > lockout_seconds) {
    entry.failures = 0;
    entry.window_start = now;
  }
  if (entry.failures >= max_failures) {
    entry.locked_until = now + lockout_seconds;
    entry.failures = 0;
    entry.window_start = now;
    return lockout_seconds;
  }
  ++entry.failures;
  return 0;
}

void LoginThrottle::refund(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(key); it != entries_.end() && it->second.failures > 0) {
    --it->second.failures;
  }
}

void LoginThrottle::settle_failure(const std::string& key, std::int64_t now, int max_failures,
                                   int lockout_seconds) {
  std::lock_guard lock(mutex_);
  auto& entry = entries_[key];
  if (entry.locked_until <= now && entry.failures >= max_failures) {
    entry.locked_until = now + lockout_seconds;
    entry.failures = 0;
    entry.window_start = now;
  }
}

}  // namespace phishdrill::api
