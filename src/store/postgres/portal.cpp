#include "store/postgres/assignment_rows.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

void PgPortal::create_portal_link(std::int64_t workspace_id, std::int64_t target_id,
                                  const std::string& token_hash, std::int64_t now,
                                  std::int64_t expires_at) {
  // Expired links are swept as new ones are made.
  db_.run("DELETE FROM portal_links WHERE target_id = $1 AND expires_at < $2", target_id, now);
  db_.run(
      "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      token_hash, workspace_id, target_id, now, expires_at);
}

void PgPortal::replace_start_link(std::int64_t workspace_id, std::int64_t target_id,
                                  std::int64_t assignment_id, const std::string& token_hash,
                                  std::int64_t now, std::int64_t expires_at) {
  db_.run("DELETE FROM portal_links WHERE assignment_id = $1", assignment_id);
  db_.run("DELETE FROM portal_links WHERE target_id = $1 AND expires_at < $2", target_id, now);
  db_.run(
      "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, expires_at, "
      "assignment_id) VALUES ($1, $2, $3, $4, $5, $6)",
      token_hash, workspace_id, target_id, now, expires_at, assignment_id);
}

std::optional<PortalLink> PgPortal::find_portal_link(const std::string& token_hash) {
  const auto rows =
      db_.run("SELECT workspace_id, target_id, expires_at FROM portal_links WHERE token_hash = $1",
              token_hash);
  if (rows.empty()) return std::nullopt;
  return PortalLink{rows.int64(0, 0), rows.int64(0, 1), rows.int64(0, 2)};
}

std::vector<Assignment> PgPortal::assignments_of_target(std::int64_t workspace_id,
                                                        std::int64_t target_id) {
  const auto rows = db_.run(
      "SELECT " + assignment_columns() +
          " FROM assignments WHERE workspace_id = $1 AND target_id = $2 "
          "AND status <> 'cancelled' "
          "ORDER BY status IN ('assigned', 'in_progress') DESC, "
          "CASE WHEN status IN ('assigned', 'in_progress') THEN due_at ELSE -completed_at END, id",
      workspace_id, target_id);
  std::vector<Assignment> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(read_assignment(Row(rows, i)));
  return out;
}

void PgPortal::mark_started(std::int64_t assignment_id, std::int64_t now) {
  db_.run(
      "UPDATE assignments SET status = 'in_progress', started_at = $1 "
      "WHERE id = $2 AND status = 'assigned'",
      now, assignment_id);
}

void PgPortal::set_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  db_.run("UPDATE assignments SET quiz_nonce_hash = $1 WHERE id = $2", nonce_hash, assignment_id);
}

bool PgPortal::consume_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  if (nonce_hash.empty()) return false;
  return db_.run(
                "UPDATE assignments SET quiz_nonce_hash = '' WHERE id = $1 AND "
                "quiz_nonce_hash = $2 AND status IN ('assigned', 'in_progress')",
                assignment_id, nonce_hash)
             .affected() > 0;
}

void PgPortal::record_attempt(const QuizAttempt& a) {
  db_.run(
      "INSERT INTO quiz_attempts (assignment_id, submitted_at, score, passed, module_version) "
      "VALUES ($1, $2, $3, $4, $5)",
      a.assignment_id, a.submitted_at, a.score, a.passed, a.module_version);
  db_.run(
      "UPDATE assignments SET attempts = attempts + 1, score = $2, passed = $3, "
      "status = CASE WHEN $3 THEN 'completed' ELSE 'in_progress' END, "
      "completed_at = CASE WHEN $3 THEN $4 ELSE completed_at END, "
      "module_version = CASE WHEN $3 THEN $5 ELSE module_version END, "
      "started_at = CASE WHEN started_at = 0 THEN $4 ELSE started_at END "
      "WHERE id = $1",
      a.assignment_id, a.score, a.passed, a.submitted_at, a.module_version);
  if (a.passed) cancel_queued_mail(db_, a.assignment_id);
}

}  // namespace phishdrill::pg
