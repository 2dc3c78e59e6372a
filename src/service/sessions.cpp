#include "service/sessions.h"

#include "service/audit.h"

namespace phishdrill::service {

std::string start_session(Repositories& repos, const TokenSource& tokens, const User& user,
                          std::int64_t now, const SessionLifetime& lifetime) {
  std::string token = tokens.token(32);
  repos.sessions.create_session(crypto::hash_token(token), user, now);
  repos.sessions.delete_expired_sessions(now - lifetime.idle_seconds, now - lifetime.max_seconds);
  return token;
}

Result<Identity> authenticate_session(Store& store, std::string_view token, std::int64_t now,
                                      const SessionLifetime& lifetime) {
  const std::string hash = crypto::hash_token(token);
  std::optional<Identity> identity;
  bool expired = false;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    auto session = repos.sessions.find_session(hash);
    if (!session) return {};
    if (now - session->last_seen_at > lifetime.idle_seconds ||
        now - session->created_at > lifetime.max_seconds) {
      repos.sessions.delete_session(hash);
      expired = true;
      return {};
    }
    auto user = repos.accounts.find_user(session->workspace_id, session->user_id);
    if (!user) return {};
    if (now - session->last_seen_at >= 30) repos.sessions.touch_session(hash, now);
    identity = Identity{*user, user->role, Actor{"user", user->id, user->email}};
    return {};
  }));
  if (expired) return fail(ErrorCode::kUnauthorized, "the session has expired; log in again");
  if (!identity) return fail(ErrorCode::kUnauthorized, "the session is not valid; log in again");
  return std::move(*identity);
}

Result<void> sign_out(Store& store, const Caller& caller, std::string_view token,
                      std::int64_t now) {
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!token.empty()) repos.sessions.delete_session(crypto::hash_token(token));
    audit(repos, caller, now, "session.logout", "user", caller.user_id);
    return {};
  });
}

std::string csrf_token(const crypto::SecretKey& key, std::string_view session_token) {
  return crypto::keyed_mac(key, "csrf", session_token);
}

Result<void> check_csrf(const crypto::SecretKey& key, std::string_view session_token,
                        std::string_view presented) {
  if (!crypto::constant_time_equal(presented, csrf_token(key, session_token))) {
    return fail(ErrorCode::kCsrf, "missing or wrong X-CSRF-Token header");
  }
  return {};
}

}  // namespace phishdrill::service
