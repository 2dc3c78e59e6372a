#include <fmt/format.h>

#include "store/json_columns.h"
#include "store/report_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

// Re-queues a finished verdict email whose verdict is no longer the report's.
constexpr const char* kRequeueChangedVerdict =
    " ON CONFLICT (report_id, kind) DO UPDATE SET state = 'queued', send_at = excluded.send_at, "
    "attempts = 0, lease_until = 0, last_error = '' WHERE report_mail.kind = 'verdict' AND "
    "report_mail.state IN ('sent', 'failed', 'cancelled') AND report_mail.sent_verdict <> "
    "(SELECT verdict FROM reports WHERE id = report_mail.report_id)";

}  // namespace

ReportFeedbackSettings SqliteReportMail::feedback_settings(std::int64_t workspace_id) {
  auto& s = db_.cached(
      "SELECT enabled, CASE WHEN EXISTS (SELECT 1 FROM sending_profiles p WHERE p.id = "
      "f.profile_id AND p.workspace_id = f.workspace_id) THEN f.profile_id ELSE 0 END, "
      "forward_to, texts FROM report_feedback_settings f WHERE workspace_id = ?");
  s.bind(1, workspace_id);
  ReportFeedbackSettings out = default_report_feedback();
  if (s.step()) {
    out.profile_id = s.int64(1);
    out.enabled = s.int64(0) != 0 && out.profile_id != 0;
    out.forward_to = s.text(2);
    json_columns::feedback_texts_from_json(s.text(3), out);
  }
  s.reset();
  return out;
}

void SqliteReportMail::save_feedback_settings(std::int64_t workspace_id,
                                              const ReportFeedbackSettings& f) {
  db_.prepare(
         "INSERT OR REPLACE INTO report_feedback_settings (workspace_id, enabled, profile_id, "
         "forward_to, texts) VALUES (?,?,?,?,?)")
      .bind(1, workspace_id)
      .bind(2, f.enabled ? 1 : 0)
      .bind(3, f.profile_id)
      .bind(4, f.forward_to)
      .bind(5, json_columns::feedback_texts_to_json(f))
      .run();
}

void SqliteReportMail::queue_report_mail(std::int64_t workspace_id, std::int64_t report_id,
                                         const std::string& kind, std::int64_t send_at) {
  db_.prepare(fmt::format("INSERT INTO report_mail (workspace_id, report_id, kind, send_at) "
                          "VALUES (?,?,?,?){}",
                          kRequeueChangedVerdict))
      .bind(1, workspace_id)
      .bind(2, report_id)
      .bind(3, kind)
      .bind(4, send_at)
      .run();
}

int SqliteReportMail::queue_cluster_verdict_mail(std::int64_t workspace_id, std::int64_t cluster_id,
                                                 std::int64_t send_at) {
  db_.prepare(fmt::format("INSERT INTO report_mail (workspace_id, report_id, kind, send_at) "
                          "SELECT workspace_id, id, 'verdict', ? FROM reports WHERE "
                          "workspace_id = ? AND cluster_id = ? AND reporter_target_id <> 0 AND "
                          "automatic = 0 AND status = 'triage'{}",
                          kRequeueChangedVerdict))
      .bind(1, send_at)
      .bind(2, workspace_id)
      .bind(3, cluster_id)
      .run();
  return db_.changes();
}

std::vector<ReportMailJob> SqliteReportMail::claim_report_mail(std::int64_t now,
                                                               std::int64_t lease_until,
                                                               int limit) {
  auto s = db_.prepare(fmt::format(
      "SELECT {}, m.id, m.workspace_id, m.kind, m.attempts, COALESCE(t.email, ''), "
      "COALESCE(t.first_name, ''), COALESCE(t.last_name, '') FROM report_mail m "
      "JOIN reports r ON r.id = m.report_id "
      "LEFT JOIN targets t ON t.id = r.reporter_target_id AND t.workspace_id = r.workspace_id "
      "WHERE (m.state = 'queued' AND m.send_at <= ?1) OR (m.state = 'sending' AND "
      "m.lease_until < ?1) ORDER BY m.send_at LIMIT ?2",
      rows::kReportColumns));
  s.bind(1, now).bind(2, limit);
  std::vector<ReportMailJob> jobs;
  while (s.step()) {
    ReportMailJob j;
    j.report = rows::read_report(s);
    constexpr int c = rows::kReportColumnCount;
    j.id = s.int64(c);
    j.workspace_id = s.int64(c + 1);
    j.kind = s.text(c + 2);
    j.attempts = static_cast<int>(s.int64(c + 3)) + 1;
    j.person = {s.text(c + 4), s.text(c + 5), s.text(c + 6)};
    jobs.push_back(std::move(j));
  }
  for (const auto& j : jobs) {
    db_.cached(
           "UPDATE report_mail SET state = 'sending', lease_until = ?, attempts = attempts + 1 "
           "WHERE id = ?")
        .bind(1, lease_until)
        .bind(2, j.id)
        .run();
  }
  return jobs;
}

bool SqliteReportMail::renew_report_mail_lease(std::int64_t mail_id, std::int64_t lease_until) {
  db_.cached("UPDATE report_mail SET lease_until = ? WHERE id = ? AND state = 'sending'")
      .bind(1, lease_until)
      .bind(2, mail_id)
      .run();
  return db_.changes() > 0;
}

void SqliteReportMail::release_report_mail(std::int64_t mail_id) {
  db_.cached(
         "UPDATE report_mail SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
         "WHERE id = ? AND state = 'sending'")
      .bind(1, mail_id)
      .run();
}

void SqliteReportMail::mark_report_mail_sent(std::int64_t mail_id, const std::string& message_id,
                                             const std::string& sent_verdict, std::int64_t at) {
  db_.cached(
         "UPDATE report_mail SET state = 'sent', message_id = ?, sent_verdict = ?, sent_at = ?, "
         "lease_until = 0, last_error = '' WHERE id = ? AND state = 'sending'")
      .bind(1, message_id)
      .bind(2, sent_verdict)
      .bind(3, at)
      .bind(4, mail_id)
      .run();
}

void SqliteReportMail::mark_report_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                              const std::string& error) {
  db_.cached(
         "UPDATE report_mail SET state = 'queued', send_at = ?, lease_until = 0, last_error = ? "
         "WHERE id = ? AND state = 'sending'")
      .bind(1, next_at)
      .bind(2, error)
      .bind(3, mail_id)
      .run();
}

void SqliteReportMail::mark_report_mail_failed(std::int64_t mail_id, const std::string& error) {
  db_.cached(
         "UPDATE report_mail SET state = 'failed', lease_until = 0, last_error = ? WHERE id = ? "
         "AND state = 'sending'")
      .bind(1, error)
      .bind(2, mail_id)
      .run();
}

void SqliteReportMail::mark_report_mail_cancelled(std::int64_t mail_id, const std::string& why) {
  db_.cached(
         "UPDATE report_mail SET state = 'cancelled', lease_until = 0, last_error = ? WHERE "
         "id = ? AND state = 'sending'")
      .bind(1, why)
      .bind(2, mail_id)
      .run();
}

std::vector<ReportMailState> SqliteReportMail::report_mail_of(std::int64_t workspace_id,
                                                              std::int64_t report_id) {
  auto& s = db_.cached(
      "SELECT kind, state, attempts, sent_at, sent_verdict, last_error FROM report_mail "
      "WHERE workspace_id = ? AND report_id = ? ORDER BY id");
  s.bind(1, workspace_id).bind(2, report_id);
  std::vector<ReportMailState> out;
  while (s.step()) {
    out.push_back(
        {s.text(0), s.text(1), static_cast<int>(s.int64(2)), s.int64(3), s.text(4), s.text(5)});
  }
  s.reset();
  return out;
}

std::optional<std::int64_t> SqliteReportMail::forwarded_report(std::int64_t workspace_id,
                                                               const std::string& message_id) {
  auto& s = db_.cached(
      "SELECT report_id FROM report_mail WHERE kind = 'forward' AND message_id = ? AND "
      "message_id <> '' AND workspace_id = ?");
  s.bind(1, message_id).bind(2, workspace_id);
  std::optional<std::int64_t> out;
  if (s.step()) out = s.int64(0);
  s.reset();
  return out;
}

}  // namespace phishdrill::sqlite
