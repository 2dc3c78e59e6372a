// Reading a workspace's audit log, newest first (service/audit.h writes it).
// Admins only (kForbidden otherwise). Opens its own transaction.
// Thread-compatible.
#pragma once

#include "core/audit_entry.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

// PageRequest::after_id means "older than this entry".
Result<Page<AuditEntry>> list_audit_log(Store& store, const Caller& caller, PageRequest page);

}  // namespace phishdrill::service
