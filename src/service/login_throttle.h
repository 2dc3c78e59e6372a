// LoginThrottle: counts attempts per key (a client address; an account and
// client address; an email nobody has; a user's password checks) in a
// sliding window and locks the key out for a while once the failures reach
// the limit. Attempts are counted *before* the slow password check (reserve)
// and given back when they succeed (refund), so parallel guesses cannot all
// slip past the limit. In memory, per process, bounded; the account-wide
// counts of real accounts are stored with the user instead.
// The sign-in and password-change use cases (service/sign_in.h,
// service/change_password.h) hold it to the limits below. Thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "core/mutex.h"

namespace phishdrill::service {

// The limits of docs/configuration.md, "Sign-in throttling".
struct ThrottleLimits {
  int login_max_failures = 5;     // per account (or user) and client address
  int ip_max_failures = 20;       // per client address
  int account_max_failures = 50;  // per account, for addresses it never signed in from
  int lockout_seconds = 900;
};

// kRateLimited "too many failed <what>; try again in <seconds> seconds",
// with Retry-After.
std::unexpected<Error> refuse_locked(int seconds, std::string_view what);

class LoginThrottle {
 public:
  // Counts an attempt for `key`. Returns the seconds to wait when the key is
  // locked (the attempt is refused and not counted), else 0.
  int reserve(const std::string& key, std::int64_t now, int max_failures, int lockout_seconds);
  // The reserved attempt succeeded: it no longer counts.
  void refund(const std::string& key);
  // Forgets `key` (its failures and any lockout).
  void clear(const std::string& key);
  // The reserved attempt failed: locks `key` once its count reaches
  // `max_failures`. True when this failure locked it.
  bool settle_failure(const std::string& key, std::int64_t now, int max_failures,
                      int lockout_seconds);

 private:
  static constexpr std::size_t kMaxKeys = 100000;
  struct Entry {
    int failures = 0;
    std::int64_t window_start = 0;
    std::int64_t locked_until = 0;
  };
  Mutex mutex_;  // guards entries_
  std::unordered_map<std::string, Entry> entries_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::service
