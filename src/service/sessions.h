// Cookie sessions of people signed in to the admin UI. A session starts at
// sign-in (or a password change) with a fresh token from the TokenSource and
// is stored only as the token's hash; it ends at sign-out, after `idle_seconds`
// without use, or `max_seconds` after it started however active (a stolen
// cookie does not live forever). Every session has a CSRF token derived from
// it under the server's key, compared in constant time. Functions that take a
// Store open their own transaction; start_session runs in the caller's.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/audit_entry.h"
#include "core/error.h"
#include "core/token_source.h"
#include "core/user.h"
#include "crypto/sodium.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

struct SessionLifetime {
  std::int64_t idle_seconds = 720 * 60;
  std::int64_t max_seconds = 12 * 3600;
};

// Who presented a credential: their user, the effective role (an API key may
// have less than its user) and the actor the audit log names.
struct Identity {
  User user;
  Role role = Role::kViewer;
  Actor actor;
};

// A new session for `user`; returns the cookie value. Sessions past their
// lifetime are swept now (sign-ins and password changes are natural moments).
std::string start_session(Repositories& repos, const TokenSource& tokens, const User& user,
                          std::int64_t now, const SessionLifetime& lifetime);

// The person behind a session cookie, marking the session used. kUnauthorized
// "the session has expired; log in again" (and the session is deleted) or
// "the session is not valid; log in again".
Result<Identity> authenticate_session(Store& store, std::string_view token, std::int64_t now,
                                      const SessionLifetime& lifetime);

// Ends the session `token` (empty for a caller who has none, e.g. an API key)
// and audits "session.logout".
Result<void> sign_out(Store& store, const Caller& caller, std::string_view token, std::int64_t now);

// The CSRF token that belongs to a session token.
std::string csrf_token(const crypto::SecretKey& key, std::string_view session_token);

// kCsrf "missing or wrong X-CSRF-Token header" unless `presented` is the
// session's CSRF token.
Result<void> check_csrf(const crypto::SecretKey& key, std::string_view session_token,
                        std::string_view presented);

}  // namespace phishdrill::service
