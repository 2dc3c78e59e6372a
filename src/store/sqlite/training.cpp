#include <fmt/format.h>

#include "store/sqlite/assignment_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

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

bool SqliteTraining::campaign_has_follow_up(std::int64_t campaign_id) {
  auto& s = db_.cached("SELECT follow_up_module <> '' FROM campaigns WHERE id = ?");
  s.bind(1, campaign_id);
  const bool has = s.step() && s.int64(0) != 0;
  s.reset();
  return has;
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
                                   assignment_columns()));
  s.bind(1, workspace_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_assignment(s);
}

Page<Assignment> SqliteTraining::list_assignments(std::int64_t workspace_id,
                                                  const AssignmentFilter& f, PageRequest page) {
  std::string sql =
      fmt::format("SELECT {} FROM assignments a WHERE a.workspace_id = ?1 AND a.id > ?2",
                  assignment_columns("a"));
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

}  // namespace phishdrill::sqlite
