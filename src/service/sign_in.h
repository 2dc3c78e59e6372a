// Signing in with email and password (docs/configuration.md, "Sign-in
// throttling"). Failures count per client address, per (account, address)
// and per account. The account-wide count and lockout apply only to
// addresses the account has never signed in from, so a stranger's guesses
// can lock the account for strangers, never for its owner at their usual
// addresses; one address's guesses lock only that address out of the
// account. Unknown emails are throttled in memory exactly like accounts and
// take as long to refuse, so neither a 401 nor a 429 reveals whether an
// account exists. Every attempt is counted before the slow password check
// (outside any transaction) and refunded when it succeeds, so parallel
// guesses cannot all slip past the limits. Failures are logged with the
// client address only and audited; a success remembers the address, starts
// a session and is audited. Thread-safe (the throttle is).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/token_source.h"
#include "core/user.h"
#include "service/login_throttle.h"
#include "service/sessions.h"
#include "store/store.h"

namespace phishdrill::service {

// What signing in and changing a password work with.
struct SignInContext {
  Store& store;
  LoginThrottle& throttle;
  const TokenSource& tokens;
  ThrottleLimits limits;
  SessionLifetime lifetime;
};

struct SignInAttempt {
  std::string email;
  std::string password;
  std::string ip;  // the client address
};

struct SignedIn {
  User user;
  std::string session_token;  // the cookie value
};

// kInvalidCredentials "wrong email or password", or kRateLimited with the
// seconds to wait.
Result<SignedIn> sign_in(SignInContext& context, const SignInAttempt& attempt, std::int64_t now);

}  // namespace phishdrill::service
