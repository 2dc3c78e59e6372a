// The rule of the admin-only use cases (users, API keys, the audit log):
// kForbidden "this needs the admin role" for any other caller, the guard's
// own answer. Pure.
#pragma once

#include "core/error.h"
#include "service/caller.h"

namespace phishdrill::service {

inline Result<void> require_admin(const Caller& caller) {
  if (!has_role(caller.role, Role::kAdmin)) {
    return fail(ErrorCode::kForbidden, "this needs the admin role");
  }
  return {};
}

}  // namespace phishdrill::service
