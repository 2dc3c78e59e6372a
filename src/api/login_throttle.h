// LoginThrottle: counts failed logins per key (a client address) in a sliding
// window and locks the key out for a while once it reaches the limit. In
// memory, per process: per-account lockouts are stored with the user instead.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace phishdrill::api {

class LoginThrottle {
 public:
  // Seconds until `key` may try again; 0 when it may try now.
  int retry_after(const std::string& key, std::int64_t now);
  // Records a failure; locks `key` for `lockout_seconds` at `max_failures`.
  void record_failure(const std::string& key, std::int64_t now, int max_failures,
                      int lockout_seconds);
  // Counts an attempt as failed before it is checked, so concurrent guesses
  // cannot all slip past the limit; returns the seconds to wait (the attempt
  // is refused) or 0. Settle it with refund() when it succeeds.
  int reserve(const std::string& key, std::int64_t now, int max_failures, int lockout_seconds);
  void refund(const std::string& key);
  // After a failed attempt counted by reserve(): locks `key` once the count
  // reaches `max_failures`.
  void settle_failure(const std::string& key, std::int64_t now, int max_failures,
                      int lockout_seconds);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t window_start = 0;
    std::int64_t locked_until = 0;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace phishdrill::api
