// Port: what sign-in throttling needs per account: counted attempts and the
// lockout they lead to (counted atomically, so concurrent guesses all
// count), and the addresses the user has signed in from (the account-wide
// lockout spares them). Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <string_view>

namespace phishdrill {

class SignInsRepository {
 public:
  virtual ~SignInsRepository() = default;

  virtual void set_login_failures(std::int64_t user_id, int failures,
                                  std::int64_t locked_until) = 0;
  // Counts a login attempt against the account before the password is
  // checked (atomically, so concurrent guesses all count). Returns the
  // seconds the account stays locked (the attempt is refused), or 0.
  virtual int begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
                                  int lockout_seconds) = 0;
  // After a wrong password: locks the account once its counted attempts
  // reach `max_failures`. Returns true when it locked it.
  virtual bool settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
                                   int lockout_seconds) = 0;
  // A counted attempt turned out right: it no longer counts.
  virtual void refund_login_attempt(std::int64_t user_id) = 0;
  // Addresses the user has signed in from (the most recent 20 are kept).
  virtual bool has_signed_in_from(std::int64_t user_id, std::string_view address) = 0;
  virtual void remember_sign_in(std::int64_t user_id, std::string_view address,
                                std::int64_t now) = 0;
  virtual void forget_sign_ins(std::int64_t user_id) = 0;
};

}  // namespace phishdrill
