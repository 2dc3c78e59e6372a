// Admin-side accounts: users (people who log in) and API keys (scripts).
// Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "core/role.h"

namespace phishdrill {

struct Workspace {
  std::int64_t id = 0;
  std::string name;
};

struct User {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  bool must_change_password = false;
  std::int64_t created_at = 0;
};

// A user plus what only the login path may see.
struct UserCredentials {
  User user;
  std::string password_hash;  // argon2id encoded string
  int failed_logins = 0;
  std::int64_t locked_until = 0;  // Unix seconds; 0 = not locked
};

struct ApiKey {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t user_id = 0;  // the key acts as this user, with `role`
  std::string name;
  Role role = Role::kViewer;
  std::string prefix;  // first characters of the key, for recognition
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;  // 0 = never
};

inline constexpr std::size_t kMinPasswordLength = 12;

}  // namespace phishdrill
