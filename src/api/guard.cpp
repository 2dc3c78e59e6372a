#include "api/guard.h"

#include <spdlog/spdlog.h>

#include "api/json_io.h"
#include "core/log_text.h"
#include "service/api_keys.h"
#include "service/sessions.h"

namespace phishdrill::api {
namespace {

bool is_unsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// The principal behind `identity`; `cookie` is a cookie caller's session
// token (empty for an API key).
Principal principal_of(service::Identity identity, std::string_view cookie = {}) {
  return Principal{std::move(identity.user), identity.role, std::move(identity.actor),
                   !cookie.empty(), std::string(cookie)};
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
  return service::csrf_token(context.key, session_token);
}

service::SessionLifetime session_lifetime(const SecuritySettings& security) {
  return {std::int64_t{security.session_idle_minutes} * 60,
          std::int64_t{security.session_max_hours} * 3600};
}

Result<Principal> authenticate(ApiContext& context, const net::Request& request) {
  const std::string_view authorization = request.header("Authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer) || authorization.size() > 512) {
      return fail(ErrorCode::kUnauthorized, "use Authorization: Bearer <API key>");
    }
    return principal_of(PD_TRY(service::authenticate_api_key(
        context.store, authorization.substr(kBearer.size()), context.clock.now())));
  }
  const auto cookie = request.cookie(kSessionCookie);
  if (!cookie || cookie->empty() || cookie->size() > 256) {
    return fail(ErrorCode::kUnauthorized, "log in or send an API key");
  }
  auto identity = PD_TRY(service::authenticate_session(context.store, *cookie, context.clock.now(),
                                                       session_lifetime(context.security)));
  if (is_unsafe(request.method)) {
    PD_TRY(service::check_csrf(context.key, *cookie, request.header("X-CSRF-Token")));
  }
  return principal_of(std::move(identity), *cookie);
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
