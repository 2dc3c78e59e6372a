#include <cstdint>

#include "store/postgres/repositories.h"

namespace phishdrill::pg {

void PgAudit::append(const AuditEntry& entry) {
  db_.run(
      "INSERT INTO audit_log (workspace_id, at, actor_kind, actor_id, actor_label, action, "
      "resource_type, resource_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      entry.workspace_id, entry.at, entry.actor.kind, entry.actor.id, entry.actor.label,
      entry.action, entry.resource_type, entry.resource_id, entry.ip, entry.details_json);
}

Page<AuditEntry> PgAudit::list(std::int64_t workspace_id, PageRequest page) {
  const auto rows = db_.run(
      "SELECT id, workspace_id, at, actor_kind, actor_id, actor_label, action, resource_type, "
      "resource_id, ip, details FROM audit_log WHERE workspace_id = $1 AND id < $2 "
      "ORDER BY id DESC LIMIT $3",
      workspace_id, page.after_id > 0 ? page.after_id : INT64_MAX, page.limit + 1);
  return collect_page<AuditEntry>(rows, page.limit, [](const Row& r) {
    AuditEntry entry;
    entry.id = r.int64(0);
    entry.workspace_id = r.int64(1);
    entry.at = r.int64(2);
    entry.actor = Actor{r.text(3), r.int64(4), r.text(5)};
    entry.action = r.text(6);
    entry.resource_type = r.text(7);
    entry.resource_id = r.int64(8);
    entry.ip = r.text(9);
    entry.details_json = r.text(10);
    return entry;
  });
}

}  // namespace phishdrill::pg
