// The role a use case needs: a caller below it is refused with kForbidden
// and the same message the admin API's guard gives, so a service called
// from elsewhere than a guarded handler refuses the same way. Pure;
// thread-safe.
#pragma once

#include <string>

#include "core/error.h"
#include "core/role.h"
#include "service/caller.h"

namespace phishdrill::service {

inline Result<void> require_role(const Caller& caller, Role required) {
  if (has_role(caller.role, required)) return {};
  return fail(ErrorCode::kForbidden,
              "this needs the " + std::string(role_name(required)) + " role");
}

}  // namespace phishdrill::service
