// LoginThrottle: counts attempts per key (a client address; an account and
// client address; an email nobody has; a user's password checks) in a
// sliding window and locks the key out for a while once the failures reach
// the limit (core/throttle_window.h: attempts are counted *before* the slow
// password check and given back when they succeed, so parallel guesses
// cannot all slip past the limit). The windows live in the store
// (store/throttles_repository.h), so every node sharing it counts the same
// attempts: a balancer spreading guesses over three nodes gains nothing.
// Windows that count nothing any more are swept now and then. When the store
// cannot be reached the attempt is let through (and logged): the sign-in
// then fails on the store itself. The sign-in and password-change use cases
// (service/sign_in.h, service/change_password.h) hold it to the limits
// below. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/throttle_window.h"
#include "store/store.h"

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
  explicit LoginThrottle(Store& store) : store_(store) {}

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
  // Runs `change` on the key's window, held for the transaction, and saves it.
  void update(const std::string& key, const std::function<void(ThrottleWindow&)>& change);
  void sweep(std::int64_t now, int lockout_seconds);

  Store& store_;
  std::atomic<std::int64_t> next_sweep_{0};
};

}  // namespace phishdrill::service
