#include <fmt/format.h>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kAssignmentColumns =
    "id, target_id, email, first_name, last_name, department, manager_email, module_slug, "
    "reason, campaign_id, profile_id, portal_base_url, assigned_at, due_at, status, started_at, "
    "completed_at, score, passed, module_version, attempts, reminders_sent, cancel_reason";

// Column list with a table prefix, for joins.
std::string prefixed_columns(std::string_view prefix) {
  std::string out;
  std::string_view cols = kAssignmentColumns;
  while (!cols.empty()) {
    const auto comma = cols.find(", ");
    const auto name = cols.substr(0, comma);
    if (!out.empty()) out += ", ";
    out += std::string(prefix) + "." + std::string(name);
    if (comma == std::string_view::npos) break;
    cols.remove_prefix(comma + 2);
  }
  return out;
}

Assignment read_assignment(const Statement& s, int first = 0) {
  Assignment a;
  int c = first;
  a.id = s.int64(c++);
  a.target.id = s.int64(c++);
  a.target.email = s.text(c++);
  a.target.first_name = s.text(c++);
  a.target.last_name = s.text(c++);
  a.target.department = s.text(c++);
  a.target.manager_email = s.text(c++);
  a.module_slug = s.text(c++);
  a.reason = s.text(c++);
  a.campaign_id = s.int64(c++);
  a.profile_id = s.int64(c++);
  a.portal_base_url = s.text(c++);
  a.assigned_at = s.int64(c++);
  a.due_at = s.int64(c++);
  a.status = parse_assignment_status(s.text(c++)).value_or(AssignmentStatus::kAssigned);
  a.started_at = s.int64(c++);
  a.completed_at = s.int64(c++);
  if (!s.is_null(c)) a.score = static_cast<int>(s.int64(c));
  ++c;
  if (!s.is_null(c)) a.passed = s.int64(c) != 0;
  ++c;
  a.module_version = static_cast<int>(s.int64(c++));
  a.attempts = static_cast<int>(s.int64(c++));
  a.reminders_sent = static_cast<int>(s.int64(c++));
  a.cancel_reason = s.text(c++);
  return a;
}

void cancel_queued_mail(Connection& db, std::int64_t assignment_id) {
  // A message being sent right now is cancelled too: its worker records it as
  // sent if it went, and nothing else can bring it back.
  db.cached(
        "UPDATE training_mail SET state = 'cancelled' WHERE assignment_id = ? AND state IN "
        "('queued', 'sending')")
      .bind(1, assignment_id)
      .run();
}

}  // namespace

TrainingSettings SqliteTraining::settings(std::int64_t workspace_id) {
  auto& s = db_.cached(
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM sending_profiles p WHERE p.id = s.profile_id "
      "AND p.workspace_id = s.workspace_id) THEN s.profile_id ELSE 0 END, portal_base_url, "
      "remind_days_before, overdue_every_days, max_overdue_reminders, cc_manager_when_overdue, "
      "link_valid_days, follow_up_delay_seconds FROM training_settings s WHERE workspace_id = ?");
  s.bind(1, workspace_id);
  TrainingSettings out;
  if (s.step()) {
    out.profile_id = s.int64(0);
    out.portal_base_url = s.text(1);
    out.remind_days_before = static_cast<int>(s.int64(2));
    out.overdue_every_days = static_cast<int>(s.int64(3));
    out.max_overdue_reminders = static_cast<int>(s.int64(4));
    out.cc_manager_when_overdue = s.int64(5) != 0;
    out.link_valid_days = static_cast<int>(s.int64(6));
    out.follow_up_delay_seconds = static_cast<int>(s.int64(7));
  }
  s.reset();
  return out;
}

void SqliteTraining::save_settings(std::int64_t workspace_id, const TrainingSettings& t) {
  db_.prepare(
         "INSERT OR REPLACE INTO training_settings (workspace_id, profile_id, portal_base_url, "
         "remind_days_before, overdue_every_days, max_overdue_reminders, "
         "cc_manager_when_overdue, link_valid_days, follow_up_delay_seconds) "
         "VALUES (?,?,?,?,?,?,?,?,?)")
      .bind(1, workspace_id)
      .bind(2, t.profile_id)
      .bind(3, t.portal_base_url)
      .bind(4, t.remind_days_before)
      .bind(5, t.overdue_every_days)
      .bind(6, t.max_overdue_reminders)
      .bind(7, t.cc_manager_when_overdue ? 1 : 0)
      .bind(8, t.link_valid_days)
      .bind(9, t.follow_up_delay_seconds)
      .run();
}

std::vector<std::int64_t> SqliteTraining::unknown_targets(
    std::int64_t workspace_id, const std::vector<std::int64_t>& target_ids) {
  auto& s = db_.cached("SELECT 1 FROM targets WHERE workspace_id = ? AND id = ?");
  std::vector<std::int64_t> unknown;
  for (const auto id : target_ids) {
    s.bind(1, workspace_id).bind(2, id);
    if (!s.step()) unknown.push_back(id);
    s.reset();
  }
  return unknown;
}

std::optional<std::int64_t> SqliteTraining::insert_assignment(std::int64_t workspace_id,
                                                              std::int64_t target_id,
                                                              const NewAssignments& r) {
  db_.cached(
         "INSERT OR IGNORE INTO assignments (workspace_id, target_id, email, first_name, "
         "last_name, department, manager_email, module_slug, reason, campaign_id, profile_id, "
         "portal_base_url, assigned_at, due_at, status) "
         "SELECT ?1, id, email, first_name, last_name, department, manager_email, ?2, ?3, ?4, ?5, "
         "?6, ?7, ?8, 'assigned' FROM targets WHERE workspace_id = ?1 AND id = ?9")
      .bind(1, workspace_id)
      .bind(2, r.module_slug)
      .bind(3, r.reason)
      .bind(4, r.campaign_id)
      .bind(5, r.profile_id)
      .bind(6, r.portal_base_url)
      .bind(7, r.now)
      .bind(8, r.due_at)
      .bind(9, target_id)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  return db_.last_insert_id();
}

void SqliteTraining::queue_training_mail(std::int64_t workspace_id, std::int64_t assignment_id,
                                         const std::vector<PlannedMail>& mails) {
  for (const auto& planned : mails) {
    db_.cached(
           "INSERT INTO training_mail (workspace_id, assignment_id, kind, send_at, state) "
           "VALUES (?, ?, ?, ?, 'queued')")
        .bind(1, workspace_id)
        .bind(2, assignment_id)
        .bind(3, planned.kind)
        .bind(4, planned.send_at)
        .run();
  }
}

std::optional<CampaignFollowUp> SqliteTraining::campaign_follow_up(std::int64_t recipient_id) {
  auto& s = db_.cached(
      "SELECT r.workspace_id, r.campaign_id, r.target_id, c.follow_up_module, "
      "c.follow_up_trigger, c.follow_up_due_days, c.profile_id, c.base_url "
      "FROM recipients r JOIN campaigns c ON c.id = r.campaign_id "
      "WHERE r.id = ? AND c.follow_up_module <> ''");
  s.bind(1, recipient_id);
  if (!s.step()) {
    s.reset();
    return std::nullopt;
  }
  CampaignFollowUp found{s.int64(0), s.int64(1),
                         s.int64(2), FollowUp{s.text(3), s.text(4), static_cast<int>(s.int64(5))},
                         s.int64(6), s.text(7)};
  s.reset();
  return found;
}

std::optional<std::int64_t> SqliteTraining::reopen_withdrawn(std::int64_t campaign_id,
                                                             std::int64_t target_id,
                                                             const std::string& withdrawn_reason,
                                                             std::int64_t now,
                                                             std::int64_t due_at) {
  auto& find = db_.cached(
      "SELECT id FROM assignments WHERE campaign_id = ? AND target_id = ? AND status = "
      "'cancelled' AND cancel_reason = ?");
  find.bind(1, campaign_id).bind(2, target_id).bind(3, withdrawn_reason);
  const std::int64_t id = find.step() ? find.int64(0) : 0;
  find.reset();
  if (id == 0) return std::nullopt;
  // A conditional update: unless the person meanwhile has the module open.
  db_.cached(
         "UPDATE assignments SET status = 'assigned', cancel_reason = '', assigned_at = ?1, "
         "due_at = ?2 WHERE id = ?3 AND NOT EXISTS (SELECT 1 FROM assignments o WHERE "
         "o.target_id = assignments.target_id AND o.module_slug = assignments.module_slug AND "
         "o.status IN ('assigned', 'in_progress'))")
      .bind(1, now)
      .bind(2, due_at)
      .bind(3, id)
      .run();
  return db_.changes() > 0 ? id : 0;
}

std::int64_t SqliteTraining::withdraw_unstarted(std::int64_t campaign_id, std::int64_t target_id,
                                                const std::string& reason) {
  auto& find = db_.cached(
      "SELECT id FROM assignments WHERE campaign_id = ? AND target_id = ? AND status = 'assigned'");
  find.bind(1, campaign_id).bind(2, target_id);
  const std::int64_t id = find.step() ? find.int64(0) : 0;
  find.reset();
  if (id == 0) return 0;
  db_.cached("UPDATE assignments SET status = 'cancelled', cancel_reason = ? WHERE id = ?")
      .bind(1, reason)
      .bind(2, id)
      .run();
  cancel_queued_mail(db_, id);
  return id;
}

std::optional<Assignment> SqliteTraining::find_assignment(std::int64_t workspace_id,
                                                          std::int64_t id) {
  auto s = db_.prepare(fmt::format("SELECT {} FROM assignments WHERE workspace_id = ? AND id = ?",
                                   kAssignmentColumns));
  s.bind(1, workspace_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_assignment(s);
}

Page<Assignment> SqliteTraining::list_assignments(std::int64_t workspace_id,
                                                  const AssignmentFilter& f, PageRequest page) {
  std::string sql =
      fmt::format("SELECT {} FROM assignments a WHERE a.workspace_id = ?1 AND a.id > ?2",
                  prefixed_columns("a"));
  if (!f.module_slug.empty()) sql += " AND a.module_slug = ?3";
  if (f.group_id != 0) {
    sql += " AND a.target_id IN (SELECT target_id FROM group_members WHERE group_id = ?4)";
  }
  if (f.target_id != 0) sql += " AND a.target_id = ?5";
  if (f.campaign_id != 0) sql += " AND a.campaign_id = ?6";
  if (f.status) {
    sql += " AND a.status = ?7";
    // An open assignment past its due date is shown as overdue, not as this.
    if (*f.status == AssignmentStatus::kAssigned || *f.status == AssignmentStatus::kInProgress) {
      sql += " AND a.due_at >= ?8";
    }
  }
  if (f.overdue_only) sql += " AND a.status IN ('assigned', 'in_progress') AND a.due_at < ?8";
  sql += " ORDER BY a.id LIMIT ?9";
  auto s = db_.prepare(sql);
  s.bind(1, workspace_id).bind(2, page.after_id).bind(9, page.limit + 1);
  if (!f.module_slug.empty()) s.bind(3, f.module_slug);
  if (f.group_id != 0) s.bind(4, f.group_id);
  if (f.target_id != 0) s.bind(5, f.target_id);
  if (f.campaign_id != 0) s.bind(6, f.campaign_id);
  if (f.status) s.bind(7, std::string(assignment_status_name(*f.status)));
  if (f.overdue_only || f.status) s.bind(8, f.now);
  return collect_page<Assignment>(s, page.limit,
                                  [](const Statement& st) { return read_assignment(st); });
}

bool SqliteTraining::cancel_assignment(std::int64_t workspace_id, std::int64_t id,
                                       const std::string& reason, std::int64_t now) {
  (void)now;
  db_.prepare(
         "UPDATE assignments SET status = 'cancelled', cancel_reason = ?, quiz_nonce_hash = '' "
         "WHERE workspace_id = ? AND id = ? AND status IN ('assigned', 'in_progress')")
      .bind(1, reason)
      .bind(2, workspace_id)
      .bind(3, id)
      .run();
  if (db_.changes() == 0) return false;
  cancel_queued_mail(db_, id);
  return true;
}

bool SqliteTraining::remind_now(std::int64_t workspace_id, std::int64_t id, std::int64_t now) {
  db_.prepare(
         "INSERT INTO training_mail (workspace_id, assignment_id, kind, send_at, state) "
         "SELECT workspace_id, id, CASE WHEN due_at < ?3 THEN 'overdue' ELSE 'reminder' END, ?3, "
         "'queued' FROM assignments WHERE workspace_id = ?1 AND id = ?2 AND profile_id <> 0 AND "
         "status IN ('assigned', 'in_progress') AND NOT EXISTS (SELECT 1 FROM training_mail m "
         "WHERE m.assignment_id = ?2 AND m.state IN ('queued', 'sending') AND m.send_at <= ?3)")
      .bind(1, workspace_id)
      .bind(2, id)
      .bind(3, now)
      .run();
  return db_.changes() > 0;
}

std::vector<QuizAttempt> SqliteTraining::attempts_of(std::int64_t assignment_id) {
  auto s = db_.prepare(
      "SELECT id, assignment_id, submitted_at, score, passed, module_version FROM quiz_attempts "
      "WHERE assignment_id = ? ORDER BY id");
  s.bind(1, assignment_id);
  std::vector<QuizAttempt> out;
  while (s.step()) {
    out.push_back({s.int64(0), s.int64(1), s.int64(2), static_cast<int>(s.int64(3)),
                   s.int64(4) != 0, static_cast<int>(s.int64(5))});
  }
  return out;
}

std::vector<TrainingMailRecord> SqliteTraining::mails_of(std::int64_t assignment_id) {
  auto s = db_.prepare(
      "SELECT kind, state, send_at, sent_at, attempts, last_error FROM training_mail "
      "WHERE assignment_id = ? ORDER BY send_at, id");
  s.bind(1, assignment_id);
  std::vector<TrainingMailRecord> out;
  while (s.step()) {
    out.push_back(
        {s.text(0), s.text(1), s.int64(2), s.int64(3), static_cast<int>(s.int64(4)), s.text(5)});
  }
  return out;
}

std::vector<TrainingReportRow> SqliteTraining::report(std::int64_t workspace_id,
                                                      std::int64_t group_id, std::int64_t now) {
  // Everyone in the group (or the workspace), with or without assignments.
  auto s = db_.prepare(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.department, t.manager_email, "
      "COUNT(a.id) FILTER (WHERE a.status <> 'cancelled'), "
      "COUNT(a.id) FILTER (WHERE a.status = 'completed'), "
      "COUNT(a.id) FILTER (WHERE a.status IN ('assigned', 'in_progress') AND a.due_at < ?3), "
      "COALESCE(MAX(a.completed_at), 0) "
      "FROM targets t LEFT JOIN assignments a ON a.target_id = t.id AND a.workspace_id = "
      "t.workspace_id "
      "WHERE t.workspace_id = ?1 AND (?2 = 0 OR t.id IN "
      "(SELECT target_id FROM group_members WHERE group_id = ?2)) "
      "GROUP BY t.id ORDER BY t.email");
  s.bind(1, workspace_id).bind(2, group_id).bind(3, now);
  std::vector<TrainingReportRow> rows;
  while (s.step()) {
    TrainingReportRow r;
    r.target = {s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)};
    r.assigned = s.int64(6);
    r.completed = s.int64(7);
    r.overdue = s.int64(8);
    r.last_completed_at = s.int64(9);
    rows.push_back(std::move(r));
  }
  return rows;
}

void SqliteTraining::create_portal_link(std::int64_t workspace_id, std::int64_t target_id,
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

void SqliteTraining::replace_start_link(std::int64_t workspace_id, std::int64_t target_id,
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

std::optional<PortalLink> SqliteTraining::find_portal_link(const std::string& token_hash) {
  auto& s = db_.cached(
      "SELECT workspace_id, target_id, expires_at FROM portal_links WHERE token_hash = ?");
  s.bind(1, token_hash);
  std::optional<PortalLink> out;
  if (s.step()) out = PortalLink{s.int64(0), s.int64(1), s.int64(2)};
  s.reset();
  return out;
}

std::vector<Assignment> SqliteTraining::assignments_of_target(std::int64_t workspace_id,
                                                              std::int64_t target_id) {
  auto s = db_.prepare(fmt::format(
      "SELECT {} FROM assignments WHERE workspace_id = ? AND target_id = ? "
      "AND status <> 'cancelled' "
      "ORDER BY status IN ('assigned', 'in_progress') DESC, "
      "CASE WHEN status IN ('assigned', 'in_progress') THEN due_at ELSE -completed_at END, id",
      kAssignmentColumns));
  s.bind(1, workspace_id).bind(2, target_id);
  std::vector<Assignment> out;
  while (s.step()) out.push_back(read_assignment(s));
  return out;
}

void SqliteTraining::mark_started(std::int64_t assignment_id, std::int64_t now) {
  db_.cached(
         "UPDATE assignments SET status = 'in_progress', started_at = ? "
         "WHERE id = ? AND status = 'assigned'")
      .bind(1, now)
      .bind(2, assignment_id)
      .run();
}

void SqliteTraining::set_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  db_.cached("UPDATE assignments SET quiz_nonce_hash = ? WHERE id = ?")
      .bind(1, nonce_hash)
      .bind(2, assignment_id)
      .run();
}

bool SqliteTraining::consume_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) {
  if (nonce_hash.empty()) return false;
  db_.cached(
         "UPDATE assignments SET quiz_nonce_hash = '' WHERE id = ? AND quiz_nonce_hash = ? "
         "AND status IN ('assigned', 'in_progress')")
      .bind(1, assignment_id)
      .bind(2, nonce_hash)
      .run();
  return db_.changes() > 0;
}

void SqliteTraining::record_attempt(const QuizAttempt& a) {
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

std::vector<TrainingMailJob> SqliteTraining::claim_training_mail(std::int64_t now,
                                                                 std::int64_t lease_until,
                                                                 int limit) {
  auto s = db_.prepare(
      fmt::format("SELECT m.id, m.workspace_id, m.kind, m.attempts, {} FROM training_mail m "
                  "JOIN assignments a ON a.id = m.assignment_id "
                  "WHERE ((m.state = 'queued' AND m.send_at <= ?1) OR (m.state = 'sending' AND "
                  "m.lease_until < ?1)) AND a.status IN ('assigned', 'in_progress') "
                  "ORDER BY m.send_at LIMIT ?2",
                  prefixed_columns("a")));
  s.bind(1, now).bind(2, limit);
  std::vector<TrainingMailJob> jobs;
  while (s.step()) {
    TrainingMailJob j;
    j.id = s.int64(0);
    j.workspace_id = s.int64(1);
    j.kind = s.text(2);
    j.attempts = static_cast<int>(s.int64(3)) + 1;
    j.assignment = read_assignment(s, 4);
    jobs.push_back(std::move(j));
  }
  for (const auto& j : jobs) {
    db_.cached(
           "UPDATE training_mail SET state = 'sending', lease_until = ?, attempts = attempts + 1 "
           "WHERE id = ?")
        .bind(1, lease_until)
        .bind(2, j.id)
        .run();
  }
  return jobs;
}

bool SqliteTraining::renew_training_mail_lease(std::int64_t mail_id, std::int64_t lease_until) {
  db_.cached("UPDATE training_mail SET lease_until = ? WHERE id = ? AND state = 'sending'")
      .bind(1, lease_until)
      .bind(2, mail_id)
      .run();
  return db_.changes() > 0;
}

void SqliteTraining::release_training_mail(std::int64_t mail_id) {
  db_.cached(
         "UPDATE training_mail SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
         "WHERE id = ? AND state = 'sending'")
      .bind(1, mail_id)
      .run();
}

void SqliteTraining::mark_training_mail_sent(std::int64_t mail_id, const std::string& message_id,
                                             std::int64_t at) {
  db_.cached(
         "UPDATE training_mail SET state = 'sent', message_id = ?, sent_at = ?, lease_until = 0, "
         "last_error = '' WHERE id = ? AND state IN ('sending', 'cancelled')")
      .bind(1, message_id)
      .bind(2, at)
      .bind(3, mail_id)
      .run();
  if (db_.changes() == 0) return;  // recorded already
  db_.cached(
         "UPDATE assignments SET reminders_sent = reminders_sent + 1 WHERE id = "
         "(SELECT assignment_id FROM training_mail WHERE id = ? AND kind <> 'assigned')")
      .bind(1, mail_id)
      .run();
}

void SqliteTraining::mark_training_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                              const std::string& error) {
  // Only a message still being sent: a cancelled one stays cancelled.
  db_.cached(
         "UPDATE training_mail SET state = 'queued', send_at = ?, lease_until = 0, last_error = ? "
         "WHERE id = ? AND state = 'sending'")
      .bind(1, next_at)
      .bind(2, error)
      .bind(3, mail_id)
      .run();
}

void SqliteTraining::mark_training_mail_failed(std::int64_t mail_id, const std::string& error) {
  db_.cached(
         "UPDATE training_mail SET state = 'failed', lease_until = 0, last_error = ? WHERE id = ? "
         "AND state IN ('sending', 'cancelled')")
      .bind(1, error)
      .bind(2, mail_id)
      .run();
}

}  // namespace phishdrill::sqlite
