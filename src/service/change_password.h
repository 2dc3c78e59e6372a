// A signed-in person changes their own password. Throttled like a sign-in
// (a stolen session must not be a password oracle): wrong current passwords
// count per user and per client address and lock out, each failure audited.
// On success every session of the user ends, the addresses they signed in
// from are forgotten but the caller's (whoever signed in with the old
// password no longer counts as the owner for the account-wide lockout), and
// a cookie caller gets a new session; the user's API keys are kept (the
// owner changed their own password). Thread-safe (the throttle is).
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/user.h"
#include "service/caller.h"
#include "service/sign_in.h"

namespace phishdrill::service {

struct PasswordChange {
  std::string current_password;
  std::string new_password;
  bool new_session = false;  // the caller signed in with a session cookie
};

// `user` is the caller's. Returns the new session's token (empty without
// `new_session`). kValidation "the current password is wrong" (field
// "current_password"), a new password that is the old one or breaks the rule
// of service/passwords.h (field "new_password"), or kRateLimited.
Result<std::string> change_password(SignInContext& context, const Caller& caller, const User& user,
                                    const PasswordChange& change, std::int64_t now);

}  // namespace phishdrill::service
