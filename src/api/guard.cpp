#include "api/guard.h"

#include <spdlog/spdlog.h>

#include "api/json_io.h"
#include "core/log_text.h"
#include "crypto/sodium.h"

namespace phishdrill::api {
namespace {

bool is_unsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Result<Principal> from_api_key(ApiContext& context, std::string_view key) {
  const std::string hash = crypto::hash_token(key);
  const std::int64_t now = context.clock.now();
  std::optional<Principal> principal;
  auto result = context.store.write([&](Repositories& repos) -> Result<void> {
    auto api_key = repos.sessions.find_api_key(hash);
    if (!api_key) return {};
    auto user = repos.accounts.find_user(api_key->workspace_id, api_key->user_id);
    if (!user) return {};
    if (now - api_key->last_used_at >= 60) repos.sessions.touch_api_key(api_key->id, now);
    Principal p;
    p.user = *user;
    p.role = has_role(user->role, api_key->role) ? api_key->role : user->role;
    p.actor = Actor{"api_key", api_key->id, api_key->name};
    principal = std::move(p);
    return {};
  });
  if (!result) return std::unexpected(result.error());
  if (!principal) return fail(ErrorCode::kUnauthorized, "the API key is not valid");
  return std::move(*principal);
}

Result<Principal> from_session(ApiContext& context, std::string_view token) {
  const std::string hash = crypto::hash_token(token);
  const std::int64_t now = context.clock.now();
  const std::int64_t idle_limit = std::int64_t{context.security.session_idle_minutes} * 60;
  const std::int64_t lifetime = std::int64_t{context.security.session_max_hours} * 3600;
  std::optional<Principal> principal;
  bool expired = false;
  auto result = context.store.write([&](Repositories& repos) -> Result<void> {
    auto session = repos.sessions.find_session(hash);
    if (!session) return {};
    // Idle too long, or alive too long however active (a stolen cookie does
    // not live forever).
    if (now - session->last_seen_at > idle_limit || now - session->created_at > lifetime) {
      repos.sessions.delete_session(hash);
      expired = true;
      return {};
    }
    auto user = repos.accounts.find_user(session->workspace_id, session->user_id);
    if (!user) return {};
    if (now - session->last_seen_at >= 30) repos.sessions.touch_session(hash, now);
    Principal p;
    p.user = *user;
    p.role = user->role;
    p.actor = Actor{"user", user->id, user->email};
    p.cookie_session = true;
    p.session_token = std::string(token);
    principal = std::move(p);
    return {};
  });
  if (!result) return std::unexpected(result.error());
  if (expired) return fail(ErrorCode::kUnauthorized, "the session has expired; log in again");
  if (!principal) return fail(ErrorCode::kUnauthorized, "the session is not valid; log in again");
  return std::move(*principal);
}

// Maps an error to its JSON response (logging internal ones) and marks every
// API answer uncacheable.
net::Response finish(const net::Request& request, Result<net::Response> result) {
  if (!result) {
    if (result.error().code == ErrorCode::kInternal) {
      spdlog::error("event=api_error route={} message={}", log_value(request.route),
                    log_value(result.error().message));
    }
    result = error_response(result.error());
  }
  result->set_header("Cache-Control", "no-store");
  return std::move(*result);
}

}  // namespace

std::string csrf_token_for(const ApiContext& context, std::string_view session_token) {
  return crypto::keyed_mac(context.key, "csrf", session_token);
}

Result<Principal> authenticate(ApiContext& context, const net::Request& request) {
  const std::string_view authorization = request.header("Authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer) || authorization.size() > 512) {
      return fail(ErrorCode::kUnauthorized, "use Authorization: Bearer <API key>");
    }
    return from_api_key(context, authorization.substr(kBearer.size()));
  }
  const auto cookie = request.cookie(kSessionCookie);
  if (!cookie || cookie->empty() || cookie->size() > 256) {
    return fail(ErrorCode::kUnauthorized, "log in or send an API key");
  }
  auto principal = from_session(context, *cookie);
  if (!principal) return principal;
  if (is_unsafe(request.method)) {
    const std::string expected = csrf_token_for(context, *cookie);
    if (!crypto::constant_time_equal(request.header("X-CSRF-Token"), expected)) {
      return fail(ErrorCode::kCsrf, "missing or wrong X-CSRF-Token header");
    }
  }
  return principal;
}

net::Handler guard(ApiContext& context, Role required, ApiHandler handler, PasswordChange rule) {
  return [&context, required, handler = std::move(handler), rule](net::Request& request) {
    auto principal = authenticate(context, request);
    Result<net::Response> response = [&]() -> Result<net::Response> {
      if (!principal) return std::unexpected(principal.error());
      // Only people are forced to change a password; API keys serve scripts.
      if (principal->cookie_session && principal->user.must_change_password &&
          rule == PasswordChange::kRequired) {
        return fail(ErrorCode::kPasswordChangeRequired,
                    "change your password first (POST /api/v1/me/password)");
      }
      if (!has_role(principal->role, required)) {
        return fail(ErrorCode::kForbidden,
                    std::string("this needs the ") + std::string(role_name(required)) + " role");
      }
      return handler(request, *principal);
    }();
    return finish(request, std::move(response));
  };
}

net::Handler unguarded(std::function<Result<net::Response>(net::Request&)> handler) {
  return [handler = std::move(handler)](net::Request& request) {
    return finish(request, handler(request));
  };
}

}  // namespace phishdrill::api
