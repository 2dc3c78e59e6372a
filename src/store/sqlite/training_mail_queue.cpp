#include <fmt/format.h>

#include "store/sqlite/assignment_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::vector<TrainingMailJob> SqliteTrainingMailQueue::claim_training_mail(std::int64_t now,
                                                                          std::int64_t lease_until,
                                                                          int limit) {
  auto s = db_.prepare(
      fmt::format("SELECT m.id, m.workspace_id, m.kind, m.attempts, {} FROM training_mail m "
                  "JOIN assignments a ON a.id = m.assignment_id "
                  "WHERE ((m.state = 'queued' AND m.send_at <= ?1) OR (m.state = 'sending' AND "
                  "m.lease_until < ?1)) AND a.status IN ('assigned', 'in_progress') "
                  "ORDER BY m.send_at LIMIT ?2",
                  assignment_columns("a")));
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

bool SqliteTrainingMailQueue::renew_training_mail_lease(std::int64_t mail_id,
                                                        std::int64_t lease_until) {
  db_.cached("UPDATE training_mail SET lease_until = ? WHERE id = ? AND state = 'sending'")
      .bind(1, lease_until)
      .bind(2, mail_id)
      .run();
  return db_.changes() > 0;
}

void SqliteTrainingMailQueue::release_training_mail(std::int64_t mail_id) {
  db_.cached(
         "UPDATE training_mail SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
         "WHERE id = ? AND state = 'sending'")
      .bind(1, mail_id)
      .run();
}

void SqliteTrainingMailQueue::mark_training_mail_sent(std::int64_t mail_id,
                                                      const std::string& message_id,
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

void SqliteTrainingMailQueue::mark_training_mail_retry(std::int64_t mail_id, std::int64_t next_at,
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

void SqliteTrainingMailQueue::mark_training_mail_failed(std::int64_t mail_id,
                                                        const std::string& error) {
  db_.cached(
         "UPDATE training_mail SET state = 'failed', lease_until = 0, last_error = ? WHERE id = ? "
         "AND state IN ('sending', 'cancelled')")
      .bind(1, error)
      .bind(2, mail_id)
      .run();
}

}  // namespace phishdrill::sqlite
