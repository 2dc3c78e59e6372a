// Roles of admin users and API keys, ordered by privilege:
// viewer (read) < operator (read, build and run simulations) < admin (all,
// including users, API keys and the audit log). Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace phishdrill {

enum class Role { kViewer = 0, kOperator = 1, kAdmin = 2 };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

inline bool has_role(Role actual, Role required) {
  return static_cast<int>(actual) >= static_cast<int>(required);
}

}  // namespace phishdrill
