// One line of the audit log: who changed what, when and from where.
// `details` is a small JSON object text that never holds secrets.
#pragma once

#include <cstdint>
#include <string>

namespace phishdrill {

struct Actor {
  std::string kind;  // "user", "api_key" or "system"
  std::int64_t id = 0;
  std::string label;  // the user's email or the key's name
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t at = 0;
  Actor actor;
  std::string action;         // e.g. "group.create"
  std::string resource_type;  // e.g. "group"
  std::int64_t resource_id = 0;
  std::string ip;
  std::string details_json = "{}";
};

}  // namespace phishdrill
