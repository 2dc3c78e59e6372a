#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::optional<std::int64_t> SqliteReporters::target_with_address(std::int64_t workspace_id,
                                                                 std::string_view address) {
  auto stmt = db_.prepare(
      "SELECT id FROM targets WHERE workspace_id = ?1 AND email = ?2 "
      "UNION ALL SELECT target_id FROM target_aliases WHERE workspace_id = ?1 AND email = ?2 "
      "LIMIT 1");
  stmt.bind(1, workspace_id).bind(2, address);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

bool SqliteReporters::has_target(std::int64_t workspace_id, std::int64_t target_id) {
  auto person = db_.prepare("SELECT 1 FROM targets WHERE workspace_id = ? AND id = ?");
  person.bind(1, workspace_id).bind(2, target_id);
  return person.step();
}

std::vector<std::string> SqliteReporters::aliases(std::int64_t workspace_id,
                                                  std::int64_t target_id) {
  auto stmt = db_.prepare(
      "SELECT email FROM target_aliases WHERE workspace_id = ? AND target_id = ? ORDER BY email");
  stmt.bind(1, workspace_id).bind(2, target_id);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

Result<void> SqliteReporters::replace_aliases(std::int64_t workspace_id, std::int64_t target_id,
                                              const std::vector<std::string>& aliases) {
  if (!has_target(workspace_id, target_id)) return not_found();
  db_.prepare("DELETE FROM target_aliases WHERE workspace_id = ? AND target_id = ?")
      .bind(1, workspace_id)
      .bind(2, target_id)
      .run();
  for (const auto& alias : aliases) {
    if (target_with_address(workspace_id, alias)) {
      return fail(ErrorCode::kConflict, alias + " is already another person's address", "aliases");
    }
    PD_TRY(unique_or_conflict(
        [&] {
          db_.prepare(
                 "INSERT INTO target_aliases (workspace_id, email, target_id) VALUES (?, ?, ?)")
              .bind(1, workspace_id)
              .bind(2, alias)
              .bind(3, target_id)
              .run();
        },
        "aliases", "this address is already another person's"));
  }
  return {};
}

std::optional<std::string> SqliteReporters::rid_with_message_id(std::int64_t workspace_id,
                                                                std::string_view message_id) {
  auto stmt = db_.prepare(
      "SELECT rid FROM recipients WHERE message_id = ? AND message_id <> '' AND workspace_id = ? "
      "LIMIT 1");
  stmt.bind(1, message_id).bind(2, workspace_id);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

std::vector<std::string> SqliteReporters::organisation_domains(std::int64_t workspace_id,
                                                               int limit) {
  auto stmt = db_.prepare(
      "SELECT lower(substr(email, instr(email, '@') + 1)) AS domain FROM targets "
      "WHERE workspace_id = ? AND instr(email, '@') > 0 GROUP BY domain "
      "ORDER BY count(*) DESC, domain LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, limit);
  std::vector<std::string> out;
  while (stmt.step()) out.push_back(stmt.text(0));
  return out;
}

bool SqliteReporters::person_named(std::int64_t workspace_id, std::string_view display_name) {
  auto stmt = db_.prepare(
      "SELECT 1 FROM targets WHERE workspace_id = ? AND first_name <> '' AND "
      "lower(first_name || ' ' || last_name) = lower(?) LIMIT 1");
  stmt.bind(1, workspace_id).bind(2, display_name);
  return stmt.step();
}

}  // namespace phishdrill::sqlite
