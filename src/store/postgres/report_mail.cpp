#include <string>

#include "store/json_columns.h"
#include "store/postgres/repositories.h"
#include "store/report_rows.h"

namespace phishdrill::pg {
namespace {

// Re-queues a finished verdict email whose verdict is no longer the report's.
const std::string kRequeueChangedVerdict =
    " ON CONFLICT (report_id, kind) DO UPDATE SET state = 'queued', send_at = excluded.send_at, "
    "attempts = 0, lease_until = 0, last_error = '' WHERE report_mail.kind = 'verdict' AND "
    "report_mail.state IN ('sent', 'failed', 'cancelled') AND report_mail.sent_verdict <> "
    "(SELECT verdict FROM reports WHERE id = report_mail.report_id)";

}  // namespace

ReportFeedbackSettings PgReportMail::feedback_settings(std::int64_t workspace_id) {
  const auto rows = db_.run(
      "SELECT enabled, CASE WHEN EXISTS (SELECT 1 FROM sending_profiles p WHERE p.id = "
      "f.profile_id AND p.workspace_id = f.workspace_id) THEN f.profile_id ELSE 0 END, "
      "forward_to, texts FROM report_feedback_settings f WHERE workspace_id = $1",
      workspace_id);
  ReportFeedbackSettings out = default_report_feedback();
  if (rows.empty()) return out;
  const Row s(rows, 0);
  out.profile_id = s.int64(1);
  out.enabled = s.boolean(0) && out.profile_id != 0;
  out.forward_to = s.text(2);
  json_columns::feedback_texts_from_json(s.text(3), out);
  return out;
}

void PgReportMail::save_feedback_settings(std::int64_t workspace_id,
                                          const ReportFeedbackSettings& f) {
  db_.run(
      "INSERT INTO report_feedback_settings (workspace_id, enabled, profile_id, forward_to, "
      "texts) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id) DO UPDATE SET "
      "enabled = excluded.enabled, profile_id = excluded.profile_id, "
      "forward_to = excluded.forward_to, texts = excluded.texts",
      workspace_id, f.enabled, f.profile_id, f.forward_to, json_columns::feedback_texts_to_json(f));
}

void PgReportMail::queue_report_mail(std::int64_t workspace_id, std::int64_t report_id,
                                     const std::string& kind, std::int64_t send_at) {
  db_.run(
      "INSERT INTO report_mail (workspace_id, report_id, kind, send_at) VALUES "
      "($1, $2, $3, $4)" +
          kRequeueChangedVerdict,
      workspace_id, report_id, kind, send_at);
}

int PgReportMail::queue_cluster_verdict_mail(std::int64_t workspace_id, std::int64_t cluster_id,
                                             std::int64_t send_at) {
  return static_cast<int>(
      db_.run("INSERT INTO report_mail (workspace_id, report_id, kind, send_at) "
              "SELECT workspace_id, id, 'verdict', $1 FROM reports WHERE workspace_id = $2 AND "
              "cluster_id = $3 AND reporter_target_id <> 0 AND NOT automatic AND "
              "status = 'triage'" +
                  kRequeueChangedVerdict,
              send_at, workspace_id, cluster_id)
          .affected());
}

std::vector<ReportMailJob> PgReportMail::claim_report_mail(std::int64_t now,
                                                           std::int64_t lease_until, int limit) {
  // SKIP LOCKED: nodes claiming at once take different emails.
  const auto rows = db_.run(
      std::string("WITH due AS (SELECT id FROM report_mail WHERE (state = 'queued' AND "
                  "send_at <= $1) OR (state = 'sending' AND lease_until < $1) "
                  "ORDER BY send_at, id LIMIT $2 FOR UPDATE SKIP LOCKED), "
                  "claimed AS (UPDATE report_mail m SET state = 'sending', lease_until = $3, "
                  "attempts = m.attempts + 1 FROM due WHERE m.id = due.id RETURNING m.*) "
                  "SELECT ") +
          rows::kReportColumns +
          ", m.id, m.workspace_id, m.kind, m.attempts, COALESCE(t.email, ''), "
          "COALESCE(t.first_name, ''), COALESCE(t.last_name, '') FROM claimed m "
          "JOIN reports r ON r.id = m.report_id LEFT JOIN targets t ON t.id = "
          "r.reporter_target_id AND t.workspace_id = r.workspace_id ORDER BY m.send_at, m.id",
      now, limit, lease_until);
  std::vector<ReportMailJob> jobs;
  for (int i = 0; i < rows.size(); ++i) {
    const Row row(rows, i);
    ReportMailJob j;
    j.report = rows::read_report(row);
    constexpr int c = rows::kReportColumnCount;
    j.id = row.int64(c);
    j.workspace_id = row.int64(c + 1);
    j.kind = row.text(c + 2);
    j.attempts = static_cast<int>(row.int64(c + 3));  // counted by the claim
    j.person = {row.text(c + 4), row.text(c + 5), row.text(c + 6)};
    jobs.push_back(std::move(j));
  }
  return jobs;
}

bool PgReportMail::renew_report_mail_lease(std::int64_t mail_id, std::int64_t lease_until) {
  return db_.run("UPDATE report_mail SET lease_until = $1 WHERE id = $2 AND state = 'sending'",
                 lease_until, mail_id)
             .affected() > 0;
}

void PgReportMail::release_report_mail(std::int64_t mail_id) {
  db_.run(
      "UPDATE report_mail SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
      "WHERE id = $1 AND state = 'sending'",
      mail_id);
}

void PgReportMail::mark_report_mail_sent(std::int64_t mail_id, const std::string& message_id,
                                         const std::string& sent_verdict, std::int64_t at) {
  db_.run(
      "UPDATE report_mail SET state = 'sent', message_id = $1, sent_verdict = $2, sent_at = $3, "
      "lease_until = 0, last_error = '' WHERE id = $4 AND state = 'sending'",
      message_id, sent_verdict, at, mail_id);
}

void PgReportMail::mark_report_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                          const std::string& error) {
  db_.run(
      "UPDATE report_mail SET state = 'queued', send_at = $1, lease_until = 0, last_error = $2 "
      "WHERE id = $3 AND state = 'sending'",
      next_at, error, mail_id);
}

void PgReportMail::mark_report_mail_failed(std::int64_t mail_id, const std::string& error) {
  db_.run(
      "UPDATE report_mail SET state = 'failed', lease_until = 0, last_error = $1 WHERE id = $2 "
      "AND state = 'sending'",
      error, mail_id);
}

void PgReportMail::mark_report_mail_cancelled(std::int64_t mail_id, const std::string& why) {
  db_.run(
      "UPDATE report_mail SET state = 'cancelled', lease_until = 0, last_error = $1 WHERE "
      "id = $2 AND state = 'sending'",
      why, mail_id);
}

std::vector<ReportMailState> PgReportMail::report_mail_of(std::int64_t workspace_id,
                                                          std::int64_t report_id) {
  const auto rows = db_.run(
      "SELECT kind, state, attempts, sent_at, sent_verdict, last_error FROM report_mail "
      "WHERE workspace_id = $1 AND report_id = $2 ORDER BY id",
      workspace_id, report_id);
  std::vector<ReportMailState> out;
  for (int i = 0; i < rows.size(); ++i) {
    const Row s(rows, i);
    out.push_back(
        {s.text(0), s.text(1), static_cast<int>(s.int64(2)), s.int64(3), s.text(4), s.text(5)});
  }
  return out;
}

std::optional<std::int64_t> PgReportMail::forwarded_report(std::int64_t workspace_id,
                                                           const std::string& message_id) {
  const auto rows = db_.run(
      "SELECT report_id FROM report_mail WHERE kind = 'forward' AND message_id = $1 AND "
      "message_id <> '' AND workspace_id = $2",
      message_id, workspace_id);
  if (rows.empty()) return std::nullopt;
  return rows.int64(0, 0);
}

}  // namespace phishdrill::pg
