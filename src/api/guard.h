// guard(): wraps an admin API handler with authentication, CSRF protection,
// the forced-password-change rule and a minimum role, and maps any Error the
// handler returns to the documented JSON error response.
#pragma once

#include <functional>

#include "api/context.h"
#include "api/principal.h"
#include "core/error.h"
#include "core/role.h"
#include "net/router.h"
#include "service/sessions.h"

namespace phishdrill::api {

using ApiHandler = std::function<Result<net::Response>(net::Request&, const Principal&)>;

enum class PasswordChange { kRequired, kAllowedPending };

net::Handler guard(ApiContext& context, Role required, ApiHandler handler,
                   PasswordChange rule = PasswordChange::kRequired);

// Identifies the caller, or fails with kUnauthorized / kCsrf.
Result<Principal> authenticate(ApiContext& context, const net::Request& request);

// The CSRF token that belongs to a session cookie value.
std::string csrf_token_for(const ApiContext& context, std::string_view session_token);

// The session limits of the security settings, in the services' terms.
service::SessionLifetime session_lifetime(const SecuritySettings& security);

// Wraps a handler that needs no authentication (e.g. login) with error mapping.
net::Handler unguarded(std::function<Result<net::Response>(net::Request&)> handler);

}  // namespace phishdrill::api
