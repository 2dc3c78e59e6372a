#include <fmt/format.h>

#include "store/sqlite/assignment_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

void SqlitePortal::create_portal_link(std::int64_t workspace_id, std::int64_t target_id,
                                      const std::string& token_hash, std::int64_t now,
                                      std::int64_t expires_at) {
  // Expired links are swept as new ones are made.
  db_.cached("DELETE FROM portal_links WHERE target_id = ? AND expires_at < ?")
      .bind(1, target_id)
      .bind(2, now)
      .run();
  db_.cached(
         "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, expires_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .bind(1, token_hash)
      .bind(2, workspace_id)
      .bind(3, target_id)
      .bind(4, now)
      .bind(5, expires_at)
      .run();
}

void SqlitePortal::replace_start_link(std::int64_t workspace_id, std::int64_t target_id,
                                      std::int64_t assignment_id, const std::string& token_hash,
                                      std::int64_t now, std::int64_t expires_at) {
  db_.cached("DELETE FROM portal_links WHERE assignment_id = ?").bind(1, assignment_id).run();
  db_.cached("DELETE FROM portal_links WHERE target_id = ? AND expires_at < ?")
      .bind(1, target_id)
      .bind(2, now)
      .run();
  db_.cached(
         "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, expires_at, "
         "assignment_id) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, token_hash)
      .bind(2, workspace_id)
      .bind(3, target_id)
      .bind(4, now)
      .bind(5, expires_at)
      .bind(6, assignment_id)
      .run();
}

std::optional<PortalLink> SqlitePortal::find_portal_link(const std::string& token_hash) {
  auto& s = db_.cached(
      "SELECT workspace_id, target_id, expires_at FROM portal_links WHERE token_hash = ?");
  s.bind(1, token_hash);
  std::optional<PortalLink> out;
  if (s.step()) out = PortalLink{s.int64(0), s.int64(1), s.int64(2)};
  s.reset();
  return out;
}

std::vector<Assignment> SqlitePortal::assignments_of_target(std::int64_t workspace_id,
                                                            std::int64_t target_id) {
  auto s = db_.prepare(fmt::format(
      "SELECT {} FROM assignments WHERE workspace_id = ? AND target_id = ? "
      "AND status <> 'cancelled' "
      "ORDER BY status IN ('assigned', 'in_progress') DESC, "
      "CASE WHEN status IN ('assigned', 'in_progress') THEN due_at ELSE -completed_at END, id",
      assignment_columns()));
  s.bind(1, workspace_id).bind(2, target_id);
  std::vector<Assignment> out;
  while (s.step()) out.push_back(read_assignment(s));
  return out;
}

void SqlitePortal::mark_started(std::int64_t assignment_id, std::int64_t now) {
  db_.cached(
         "UPDATE assignments SET status = 'in_progress', started_at = ? "
         "WHERE id = ? AND status = 'assigned'")
      .bind(1, now)
      .bind(2, assignment_id)
      .run();
}

void SqlitePortal::set_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  db_.cached("UPDATE assignments SET quiz_nonce_hash = ? WHERE id = ?")
      .bind(1, nonce_hash)
      .bind(2, assignment_id)
      .run();
}

bool SqlitePortal::consume_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  if (nonce_hash.empty()) return false;
  db_.cached(
         "UPDATE assignments SET quiz_nonce_hash = '' WHERE id = ? AND quiz_nonce_hash = ? "
         "AND status IN ('assigned', 'in_progress')")
      .bind(1, assignment_id)
      .bind(2, nonce_hash)
      .run();
  return db_.changes() > 0;
}

void SqlitePortal::record_attempt(const QuizAttempt& a) {
  db_.cached(
         "INSERT INTO quiz_attempts (assignment_id, submitted_at, score, passed, module_version) "
         "VALUES (?, ?, ?, ?, ?)")
      .bind(1, a.assignment_id)
      .bind(2, a.submitted_at)
      .bind(3, a.score)
      .bind(4, a.passed ? 1 : 0)
      .bind(5, a.module_version)
      .run();
  db_.cached(
         "UPDATE assignments SET attempts = attempts + 1, score = ?2, passed = ?3, "
         "status = CASE WHEN ?3 THEN 'completed' ELSE 'in_progress' END, "
         "completed_at = CASE WHEN ?3 THEN ?4 ELSE completed_at END, "
         "module_version = CASE WHEN ?3 THEN ?5 ELSE module_version END, "
         "started_at = CASE WHEN started_at = 0 THEN ?4 ELSE started_at END "
         "WHERE id = ?1")
      .bind(1, a.assignment_id)
      .bind(2, a.score)
      .bind(3, a.passed ? 1 : 0)
      .bind(4, a.submitted_at)
      .bind(5, a.module_version)
      .run();
  if (a.passed) cancel_queued_mail(db_, a.assignment_id);
}

}  // namespace phishdrill::sqlite
