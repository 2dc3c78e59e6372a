// Port: the append-only audit log. Used only inside a Store transaction, so
// an entry commits (or not) together with the change it records.
#pragma once

#include <cstdint>

#include "core/audit_entry.h"
#include "store/page.h"

namespace phishdrill {

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual void append(const AuditEntry& entry) = 0;
  // Newest first; PageRequest::after_id means "older than this id".
  virtual Page<AuditEntry> list(std::int64_t workspace_id, PageRequest page) = 0;
};

}  // namespace phishdrill
