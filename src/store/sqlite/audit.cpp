#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

void SqliteAudit::append(const AuditEntry& entry) {
  db_.prepare(
         "INSERT INTO audit_log (workspace_id, at, actor_kind, actor_id, actor_label, action, "
         "resource_type, resource_id, ip, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, entry.workspace_id)
      .bind(2, entry.at)
      .bind(3, entry.actor.kind)
      .bind(4, entry.actor.id)
      .bind(5, entry.actor.label)
      .bind(6, entry.action)
      .bind(7, entry.resource_type)
      .bind(8, entry.resource_id)
      .bind(9, entry.ip)
      .bind(10, entry.details_json)
      .run();
}

Page<AuditEntry> SqliteAudit::list(std::int64_t workspace_id, PageRequest page) {
  auto stmt = db_.prepare(
      "SELECT id, workspace_id, at, actor_kind, actor_id, actor_label, action, resource_type, "
      "resource_id, ip, details FROM audit_log WHERE workspace_id = ? AND id < ? "
      "ORDER BY id DESC LIMIT ?");
  stmt.bind(1, workspace_id)
      .bind(2, page.after_id > 0 ? page.after_id : INT64_MAX)
      .bind(3, page.limit + 1);
  return collect_page<AuditEntry>(stmt, page.limit, [](const Statement& s) {
    AuditEntry entry;
    entry.id = s.int64(0);
    entry.workspace_id = s.int64(1);
    entry.at = s.int64(2);
    entry.actor = Actor{s.text(3), s.int64(4), s.text(5)};
    entry.action = s.text(6);
    entry.resource_type = s.text(7);
    entry.resource_id = s.int64(8);
    entry.ip = s.text(9);
    entry.details_json = s.text(10);
    return entry;
  });
}

}  // namespace phishdrill::sqlite
