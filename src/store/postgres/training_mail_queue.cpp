#include <algorithm>

#include "store/postgres/assignment_rows.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::vector<TrainingMailJob> PgTrainingMailQueue::claim_training_mail(std::int64_t now,
                                                                      std::int64_t lease_until,
                                                                      int limit) {
  // SKIP LOCKED: nodes claiming at once take different messages.
  const auto rows = db_.run(
      "WITH due AS (SELECT m.id FROM training_mail m JOIN assignments a ON a.id = m.assignment_id "
      "WHERE ((m.state = 'queued' AND m.send_at <= $1) OR (m.state = 'sending' AND "
      "m.lease_until < $1)) AND a.status IN ('assigned', 'in_progress') "
      "ORDER BY m.send_at, m.id LIMIT $2 FOR UPDATE OF m SKIP LOCKED) "
      "UPDATE training_mail m SET state = 'sending', lease_until = $3, attempts = m.attempts + 1 "
      "FROM due, assignments a WHERE m.id = due.id AND a.id = m.assignment_id "
      "RETURNING m.id, m.workspace_id, m.kind, m.attempts, m.send_at, " +
          assignment_columns("a"),
      now, limit, lease_until);
  std::vector<std::pair<std::int64_t, TrainingMailJob>> claimed;
  for (int i = 0; i < rows.size(); ++i) {
    const Row row(rows, i);
    TrainingMailJob j;
    j.id = row.int64(0);
    j.workspace_id = row.int64(1);
    j.kind = row.text(2);
    j.attempts = static_cast<int>(row.int64(3));  // counted by the claim
    j.assignment = read_assignment(row, 5);
    claimed.emplace_back(row.int64(4), std::move(j));
  }
  // RETURNING keeps no order: the earliest due first, as the claim chose them.
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first, a.second.id) < std::pair(b.first, b.second.id);
  });
  std::vector<TrainingMailJob> jobs;
  jobs.reserve(claimed.size());
  for (auto& [send_at, job] : claimed) jobs.push_back(std::move(job));
  return jobs;
}

bool PgTrainingMailQueue::renew_training_mail_lease(std::int64_t mail_id,
                                                    std::int64_t lease_until) {
  return db_.run("UPDATE training_mail SET lease_until = $1 WHERE id = $2 AND state = 'sending'",
                 lease_until, mail_id)
             .affected() > 0;
}

void PgTrainingMailQueue::release_training_mail(std::int64_t mail_id) {
  db_.run(
      "UPDATE training_mail SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
      "WHERE id = $1 AND state = 'sending'",
      mail_id);
}

void PgTrainingMailQueue::mark_training_mail_sent(std::int64_t mail_id,
                                                  const std::string& message_id, std::int64_t at) {
  const auto recorded = db_.run(
      "UPDATE training_mail SET state = 'sent', message_id = $1, sent_at = $2, lease_until = 0, "
      "last_error = '' WHERE id = $3 AND state IN ('sending', 'cancelled')",
      message_id, at, mail_id);
  if (recorded.affected() == 0) return;  // recorded already
  db_.run(
      "UPDATE assignments SET reminders_sent = reminders_sent + 1 WHERE id = "
      "(SELECT assignment_id FROM training_mail WHERE id = $1 AND kind <> 'assigned')",
      mail_id);
}

void PgTrainingMailQueue::mark_training_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                                   const std::string& error) {
  // Only a message still being sent: a cancelled one stays cancelled.
  db_.run(
      "UPDATE training_mail SET state = 'queued', send_at = $1, lease_until = 0, last_error = $2 "
      "WHERE id = $3 AND state = 'sending'",
      next_at, error, mail_id);
}

void PgTrainingMailQueue::mark_training_mail_failed(std::int64_t mail_id,
                                                    const std::string& error) {
  db_.run(
      "UPDATE training_mail SET state = 'failed', lease_until = 0, last_error = $1 WHERE id = $2 "
      "AND state IN ('sending', 'cancelled')",
      error, mail_id);
}

}  // namespace phishdrill::pg
