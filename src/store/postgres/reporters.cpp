#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::optional<std::int64_t> PgReporters::target_with_address(std::int64_t workspace_id,
                                                             std::string_view address) {
  const auto rows = db_.run(
      "SELECT id FROM targets WHERE workspace_id = $1 AND email = $2 UNION ALL "
      "SELECT target_id FROM target_aliases WHERE workspace_id = $1 AND email = $2 LIMIT 1",
      workspace_id, address);
  if (rows.empty()) return std::nullopt;
  return rows.int64(0, 0);
}

bool PgReporters::has_target(std::int64_t workspace_id, std::int64_t target_id) {
  return !db_.run("SELECT 1 FROM targets WHERE workspace_id = $1 AND id = $2", workspace_id,
                  target_id)
              .empty();
}

std::vector<std::string> PgReporters::aliases(std::int64_t workspace_id, std::int64_t target_id) {
  const auto rows = db_.run(
      "SELECT email FROM target_aliases WHERE workspace_id = $1 AND target_id = $2 ORDER BY email",
      workspace_id, target_id);
  std::vector<std::string> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.text(i, 0));
  return out;
}

Result<void> PgReporters::replace_aliases(std::int64_t workspace_id, std::int64_t target_id,
                                          const std::vector<std::string>& aliases) {
  if (!has_target(workspace_id, target_id)) return not_found();
  db_.run("DELETE FROM target_aliases WHERE workspace_id = $1 AND target_id = $2", workspace_id,
          target_id);
  for (const auto& alias : aliases) {
    if (target_with_address(workspace_id, alias)) {
      return fail(ErrorCode::kConflict, alias + " is already another person's address", "aliases");
    }
    PD_TRY(unique_or_conflict(
        db_,
        [&] {
          db_.run("INSERT INTO target_aliases (workspace_id, email, target_id) VALUES ($1, $2, $3)",
                  workspace_id, alias, target_id);
        },
        "aliases", "this address is already another person's"));
  }
  return {};
}

std::optional<std::string> PgReporters::rid_with_message_id(std::int64_t workspace_id,
                                                            std::string_view message_id) {
  const auto rows = db_.run(
      "SELECT rid FROM recipients WHERE message_id = $1 AND message_id <> '' AND "
      "workspace_id = $2 LIMIT 1",
      message_id, workspace_id);
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

std::vector<std::string> PgReporters::organisation_domains(std::int64_t workspace_id, int limit) {
  const auto rows = db_.run(
      "SELECT lower(split_part(email, '@', 2)) AS domain FROM targets WHERE workspace_id = $1 "
      "AND strpos(email, '@') > 0 GROUP BY domain ORDER BY count(*) DESC, domain LIMIT $2",
      workspace_id, limit);
  std::vector<std::string> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.text(i, 0));
  return out;
}

bool PgReporters::person_named(std::int64_t workspace_id, std::string_view display_name) {
  return !db_.run(
                 "SELECT 1 FROM targets WHERE workspace_id = $1 AND first_name <> '' AND "
                 "lower(first_name || ' ' || last_name) = lower($2) LIMIT 1",
                 workspace_id, display_name)
              .empty();
}

}  // namespace phishdrill::pg
