#include "service/audit_log.h"

#include "service/require_role.h"

namespace phishdrill::service {

Result<Page<AuditEntry>> list_audit_log(Store& store, const Caller& caller, PageRequest page) {
  PD_TRY(require_role(caller, Role::kAdmin));
  Page<AuditEntry> entries;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    entries = repos.audit.list(caller.workspace_id, page);
    return {};
  }));
  return entries;
}

}  // namespace phishdrill::service
