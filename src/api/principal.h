// Principal: who is calling the admin API, established by authenticate() from
// an API key (Authorization: Bearer) or a session cookie (plus its CSRF token
// on unsafe methods). Plain data.
#pragma once

#include <cstdint>
#include <string>

#include "core/audit_entry.h"
#include "core/user.h"

namespace phishdrill::api {

inline constexpr const char* kSessionCookie = "pd_session";

struct Principal {
  User user;
  Role role = Role::kViewer;  // effective role (an API key may have less than its user)
  Actor actor;
  bool cookie_session = false;
  std::string session_token;  // the cookie value, for CSRF derivation and logout
};

}  // namespace phishdrill::api
