#include "store/postgres/assignment_rows.h"
#include "store/postgres/id_array.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

bool is_open(AssignmentStatus status) {
  return status == AssignmentStatus::kAssigned || status == AssignmentStatus::kInProgress;
}

}  // namespace

TrainingSettings PgTraining::settings(std::int64_t workspace_id) {
  const auto rows = db_.run(
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM sending_profiles p WHERE p.id = s.profile_id "
      "AND p.workspace_id = s.workspace_id) THEN s.profile_id ELSE 0 END, portal_base_url, "
      "remind_days_before, overdue_every_days, max_overdue_reminders, cc_manager_when_overdue, "
      "link_valid_days, follow_up_delay_seconds FROM training_settings s WHERE workspace_id = $1",
      workspace_id);
  TrainingSettings out;
  if (rows.empty()) return out;
  const Row s(rows, 0);
  out.profile_id = s.int64(0);
  out.portal_base_url = s.text(1);
  out.remind_days_before = static_cast<int>(s.int64(2));
  out.overdue_every_days = static_cast<int>(s.int64(3));
  out.max_overdue_reminders = static_cast<int>(s.int64(4));
  out.cc_manager_when_overdue = s.boolean(5);
  out.link_valid_days = static_cast<int>(s.int64(6));
  out.follow_up_delay_seconds = static_cast<int>(s.int64(7));
  return out;
}

void PgTraining::save_settings(std::int64_t workspace_id, const TrainingSettings& t) {
  db_.run(
      "INSERT INTO training_settings (workspace_id, profile_id, portal_base_url, "
      "remind_days_before, overdue_every_days, max_overdue_reminders, cc_manager_when_overdue, "
      "link_valid_days, follow_up_delay_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT (workspace_id) DO UPDATE SET profile_id = excluded.profile_id, "
      "portal_base_url = excluded.portal_base_url, "
      "remind_days_before = excluded.remind_days_before, "
      "overdue_every_days = excluded.overdue_every_days, "
      "max_overdue_reminders = excluded.max_overdue_reminders, "
      "cc_manager_when_overdue = excluded.cc_manager_when_overdue, "
      "link_valid_days = excluded.link_valid_days, "
      "follow_up_delay_seconds = excluded.follow_up_delay_seconds",
      workspace_id, t.profile_id, t.portal_base_url, t.remind_days_before, t.overdue_every_days,
      t.max_overdue_reminders, t.cc_manager_when_overdue, t.link_valid_days,
      t.follow_up_delay_seconds);
}

std::vector<std::int64_t> PgTraining::unknown_targets(std::int64_t workspace_id,
                                                      const std::vector<std::int64_t>& target_ids) {
  const auto rows = db_.run(
      "SELECT u.id FROM unnest($2::bigint[]) WITH ORDINALITY AS u(id, n) WHERE NOT EXISTS "
      "(SELECT 1 FROM targets t WHERE t.workspace_id = $1 AND t.id = u.id) ORDER BY u.n",
      workspace_id, id_array(target_ids));
  std::vector<std::int64_t> unknown;
  for (int i = 0; i < rows.size(); ++i) unknown.push_back(rows.int64(i, 0));
  return unknown;
}

std::optional<std::int64_t> PgTraining::insert_assignment(std::int64_t workspace_id,
                                                          std::int64_t target_id,
                                                          const NewAssignments& r) {
  // ON CONFLICT DO NOTHING: an open assignment of the module (or the
  // campaign's one) already exists, by the partial unique indexes.
  const auto rows = db_.run(
      "INSERT INTO assignments (workspace_id, target_id, email, first_name, last_name, "
      "department, manager_email, module_slug, reason, campaign_id, profile_id, "
      "portal_base_url, assigned_at, due_at, status) "
      "SELECT $1, id, email, first_name, last_name, department, manager_email, $2, $3, $4, $5, "
      "$6, $7, $8, 'assigned' FROM targets WHERE workspace_id = $1 AND id = $9 "
      "ON CONFLICT DO NOTHING RETURNING id",
      workspace_id, r.module_slug, r.reason, r.campaign_id, r.profile_id, r.portal_base_url, r.now,
      r.due_at, target_id);
  if (rows.empty()) return std::nullopt;
  return rows.int64(0, 0);
}

void PgTraining::queue_training_mail(std::int64_t workspace_id, std::int64_t assignment_id,
                                     const std::vector<PlannedMail>& mails) {
  for (const auto& planned : mails) {
    db_.run(
        "INSERT INTO training_mail (workspace_id, assignment_id, kind, send_at, state) "
        "VALUES ($1, $2, $3, $4, 'queued')",
        workspace_id, assignment_id, planned.kind, planned.send_at);
  }
}

bool PgTraining::campaign_has_follow_up(std::int64_t campaign_id) {
  const auto rows =
      db_.run("SELECT follow_up_module <> '' FROM campaigns WHERE id = $1", campaign_id);
  return !rows.empty() && rows.boolean(0, 0);
}

std::optional<CampaignFollowUp> PgTraining::campaign_follow_up(std::int64_t recipient_id) {
  const auto rows = db_.run(
      "SELECT r.workspace_id, r.campaign_id, r.target_id, c.follow_up_module, "
      "c.follow_up_trigger, c.follow_up_due_days, c.profile_id, c.base_url "
      "FROM recipients r JOIN campaigns c ON c.id = r.campaign_id "
      "WHERE r.id = $1 AND c.follow_up_module <> ''",
      recipient_id);
  if (rows.empty()) return std::nullopt;
  const Row s(rows, 0);
  return CampaignFollowUp{s.int64(0), s.int64(1),
                          s.int64(2), FollowUp{s.text(3), s.text(4), static_cast<int>(s.int64(5))},
                          s.int64(6), s.text(7)};
}

std::optional<std::int64_t> PgTraining::reopen_withdrawn(std::int64_t campaign_id,
                                                         std::int64_t target_id,
                                                         const std::string& withdrawn_reason,
                                                         std::int64_t now, std::int64_t due_at) {
  const auto found = db_.run(
      "SELECT id FROM assignments WHERE campaign_id = $1 AND target_id = $2 AND status = "
      "'cancelled' AND cancel_reason = $3",
      campaign_id, target_id, withdrawn_reason);
  if (found.empty()) return std::nullopt;
  const std::int64_t id = found.int64(0, 0);
  // A conditional update: unless the person meanwhile has the module open
  // (seen here, or enforced by the one-open index when that opened concurrently).
  const auto reopened = unique_or_conflict(
      db_,
      [&] {
        return db_
            .run(
                "UPDATE assignments SET status = 'assigned', cancel_reason = '', "
                "assigned_at = $1, due_at = $2 WHERE id = $3 AND NOT EXISTS (SELECT 1 FROM "
                "assignments o WHERE o.target_id = assignments.target_id AND "
                "o.module_slug = assignments.module_slug AND "
                "o.status IN ('assigned', 'in_progress'))",
                now, due_at, id)
            .affected();
      },
      "", "");
  return reopened.value_or(0) > 0 ? id : 0;
}

std::int64_t PgTraining::withdraw_unstarted(std::int64_t campaign_id, std::int64_t target_id,
                                            const std::string& reason) {
  const auto rows = db_.run(
      "UPDATE assignments SET status = 'cancelled', cancel_reason = $3 WHERE id = "
      "(SELECT id FROM assignments WHERE campaign_id = $1 AND target_id = $2 AND "
      "status = 'assigned' LIMIT 1) AND status = 'assigned' RETURNING id",
      campaign_id, target_id, reason);
  if (rows.empty()) return 0;
  const std::int64_t id = rows.int64(0, 0);
  cancel_queued_mail(db_, id);
  return id;
}

std::optional<Assignment> PgTraining::find_assignment(std::int64_t workspace_id, std::int64_t id) {
  const auto rows = db_.run(
      "SELECT " + assignment_columns() + " FROM assignments WHERE workspace_id = $1 AND id = $2",
      workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_assignment(Row(rows, 0));
}

Page<Assignment> PgTraining::list_assignments(std::int64_t workspace_id, const AssignmentFilter& f,
                                              PageRequest page) {
  // One statement for every filter (NULL or 0 = no condition). An open
  // assignment past its due date is shown as overdue, not as its status.
  const auto rows = db_.run(
      "SELECT " + assignment_columns("a") +
          " FROM assignments a WHERE a.workspace_id = $1 AND a.id > $2 "
          "AND ($3::text IS NULL OR a.module_slug = $3) "
          "AND ($4 = 0 OR a.target_id IN (SELECT target_id FROM group_members "
          "WHERE group_id = $4)) "
          "AND ($5 = 0 OR a.target_id = $5) AND ($6 = 0 OR a.campaign_id = $6) "
          "AND ($7::text IS NULL OR (a.status = $7 AND (NOT $10 OR a.due_at >= $8))) "
          "AND (NOT $11 OR (a.status IN ('assigned', 'in_progress') AND a.due_at < $8)) "
          "ORDER BY a.id LIMIT $9",
      workspace_id, page.after_id, f.module_slug.empty() ? std::nullopt : param(f.module_slug),
      f.group_id, f.target_id, f.campaign_id,
      f.status ? param(std::string(assignment_status_name(*f.status))) : std::nullopt, f.now,
      page.limit + 1, f.status && is_open(*f.status), f.overdue_only);
  return collect_page<Assignment>(rows, page.limit,
                                  [](const Row& row) { return read_assignment(row); });
}

bool PgTraining::cancel_assignment(std::int64_t workspace_id, std::int64_t id,
                                   const std::string& reason, std::int64_t now) {
  static_cast<void>(now);  // the port passes it; nothing here is timed
  const auto rows = db_.run(
      "UPDATE assignments SET status = 'cancelled', cancel_reason = $1, quiz_nonce_hash = '' "
      "WHERE workspace_id = $2 AND id = $3 AND status IN ('assigned', 'in_progress')",
      reason, workspace_id, id);
  if (rows.affected() == 0) return false;
  cancel_queued_mail(db_, id);
  return true;
}

bool PgTraining::remind_now(std::int64_t workspace_id, std::int64_t id, std::int64_t now) {
  return db_.run(
                "INSERT INTO training_mail (workspace_id, assignment_id, kind, send_at, state) "
                "SELECT workspace_id, id, CASE WHEN due_at < $3 THEN 'overdue' ELSE 'reminder' "
                "END, $3, 'queued' FROM assignments WHERE workspace_id = $1 AND id = $2 AND "
                "profile_id <> 0 AND status IN ('assigned', 'in_progress') AND NOT EXISTS "
                "(SELECT 1 FROM training_mail m WHERE m.assignment_id = $2 AND m.state IN "
                "('queued', 'sending') AND m.send_at <= $3)",
                workspace_id, id, now)
             .affected() > 0;
}

std::vector<QuizAttempt> PgTraining::attempts_of(std::int64_t assignment_id) {
  const auto rows = db_.run(
      "SELECT id, assignment_id, submitted_at, score, passed, module_version FROM quiz_attempts "
      "WHERE assignment_id = $1 ORDER BY id",
      assignment_id);
  std::vector<QuizAttempt> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.int64(i, 0), rows.int64(i, 1), rows.int64(i, 2),
                   static_cast<int>(rows.int64(i, 3)), rows.boolean(i, 4),
                   static_cast<int>(rows.int64(i, 5))});
  }
  return out;
}

std::vector<TrainingMailRecord> PgTraining::mails_of(std::int64_t assignment_id) {
  const auto rows = db_.run(
      "SELECT kind, state, send_at, sent_at, attempts, last_error FROM training_mail "
      "WHERE assignment_id = $1 ORDER BY send_at, id",
      assignment_id);
  std::vector<TrainingMailRecord> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.text(i, 0), rows.text(i, 1), rows.int64(i, 2), rows.int64(i, 3),
                   static_cast<int>(rows.int64(i, 4)), rows.text(i, 5)});
  }
  return out;
}

std::vector<TrainingReportRow> PgTraining::report(std::int64_t workspace_id, std::int64_t group_id,
                                                  std::int64_t now) {
  // Everyone in the group (or the workspace), with or without assignments.
  const auto rows = db_.run(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.department, t.manager_email, "
      "COUNT(a.id) FILTER (WHERE a.status <> 'cancelled'), "
      "COUNT(a.id) FILTER (WHERE a.status = 'completed'), "
      "COUNT(a.id) FILTER (WHERE a.status IN ('assigned', 'in_progress') AND a.due_at < $3), "
      "COALESCE(MAX(a.completed_at), 0) "
      "FROM targets t LEFT JOIN assignments a ON a.target_id = t.id AND "
      "a.workspace_id = t.workspace_id WHERE t.workspace_id = $1 AND ($2 = 0 OR t.id IN "
      "(SELECT target_id FROM group_members WHERE group_id = $2)) "
      "GROUP BY t.id ORDER BY t.email",
      workspace_id, group_id, now);
  std::vector<TrainingReportRow> out;
  for (int i = 0; i < rows.size(); ++i) {
    TrainingReportRow r;
    r.target = {rows.int64(i, 0), rows.text(i, 1), rows.text(i, 2),
                rows.text(i, 3),  rows.text(i, 4), rows.text(i, 5)};
    r.assigned = rows.int64(i, 6);
    r.completed = rows.int64(i, 7);
    r.overdue = rows.int64(i, 8);
    r.last_completed_at = rows.int64(i, 9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace phishdrill::pg
