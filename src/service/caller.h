// Caller: who asks a service to act and from where — the workspace they act
// in, their user and effective role, the actor named in the audit log, and
// the client address. Built by the handler from its principal; plain data.
#pragma once

#include <cstdint>
#include <string>

#include "core/audit_entry.h"
#include "core/user.h"

namespace phishdrill::service {

struct Caller {
  std::int64_t workspace_id = 0;
  std::int64_t user_id = 0;
  Role role = Role::kViewer;
  Actor actor;
  std::string ip;
};

}  // namespace phishdrill::service
