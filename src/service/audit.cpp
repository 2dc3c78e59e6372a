#include "service/audit.h"

namespace phishdrill::service {

void audit(Repositories& repos, const Caller& caller, std::int64_t now, std::string_view action,
           std::string_view resource_type, std::int64_t resource_id,
           const boost::json::object& details) {
  AuditEntry entry;
  entry.workspace_id = caller.workspace_id;
  entry.at = now;
  entry.actor = caller.actor;
  entry.action = action;
  entry.resource_type = resource_type;
  entry.resource_id = resource_id;
  entry.ip = caller.ip;
  entry.details_json = boost::json::serialize(details);
  repos.audit.append(entry);
}

}  // namespace phishdrill::service
