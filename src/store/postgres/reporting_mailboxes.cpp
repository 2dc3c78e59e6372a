#include "store/postgres/repositories.h"
#include "store/report_rows.h"

namespace phishdrill::pg {

Result<ReportingMailbox> PgReportingMailboxes::create_mailbox(const ReportingMailbox& m,
                                                              const std::string& secret_sealed) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO reporting_mailboxes (workspace_id, name, host, port, tls, username, "
            "auth, secret_sealed, folder, after_processing, done_folder, poll_seconds, enabled, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, $14, $15) RETURNING id",
            m.workspace_id, m.name, m.host, m.port, m.tls, m.username, m.auth, secret_sealed,
            m.folder, m.after, m.done_folder, m.poll_seconds, m.enabled, m.created_at,
            m.updated_at);
        ReportingMailbox created = m;
        created.id = rows.int64(0, 0);
        created.has_secret = !secret_sealed.empty();
        return created;
      },
      "name", "a reporting mailbox with this name already exists");
}

Result<void> PgReportingMailboxes::update_mailbox(const ReportingMailbox& m,
                                                  const std::string& secret_sealed) {
  return unique_or_conflict(
      db_,
      [&] {
        db_.run(
            "UPDATE reporting_mailboxes SET name = $1, host = $2, port = $3, tls = $4, "
            "username = $5, auth = $6, secret_sealed = CASE WHEN $7::text = '' THEN "
            "secret_sealed ELSE $7::text END, folder = $8, after_processing = $9, "
            "done_folder = $10, poll_seconds = $11, enabled = $12, updated_at = $13, "
            "next_poll_at = 0 WHERE workspace_id = $14 AND id = $15",
            m.name, m.host, m.port, m.tls, m.username, m.auth, secret_sealed, m.folder, m.after,
            m.done_folder, m.poll_seconds, m.enabled, m.updated_at, m.workspace_id, m.id);
      },
      "name", "a reporting mailbox with this name already exists");
}

std::optional<ReportingMailbox> PgReportingMailboxes::find_mailbox(std::int64_t workspace_id,
                                                                   std::int64_t id) {
  const auto rows = db_.run(std::string("SELECT ") + rows::kMailboxColumns +
                                " FROM reporting_mailboxes WHERE workspace_id = $1 AND id = $2",
                            workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return rows::read_mailbox(Row(rows, 0));
}

std::optional<std::string> PgReportingMailboxes::mailbox_secret(std::int64_t workspace_id,
                                                                std::int64_t id) {
  const auto rows =
      db_.run("SELECT secret_sealed FROM reporting_mailboxes WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

Page<ReportingMailbox> PgReportingMailboxes::list_mailboxes(std::int64_t workspace_id,
                                                            PageRequest page) {
  const auto rows = db_.run(std::string("SELECT ") + rows::kMailboxColumns +
                                " FROM reporting_mailboxes WHERE workspace_id = $1 AND id > $2 "
                                "ORDER BY id LIMIT $3",
                            workspace_id, page.after_id, page.limit + 1);
  return collect_page<ReportingMailbox>(rows, page.limit, rows::read_mailbox<Row>);
}

bool PgReportingMailboxes::delete_mailbox(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM reporting_mailboxes WHERE workspace_id = $1 AND id = $2",
                 workspace_id, id)
             .affected() > 0;
}

bool PgReportingMailboxes::poll_soon(std::int64_t workspace_id, std::int64_t id) {
  return db_.run(
                "UPDATE reporting_mailboxes SET next_poll_at = 0 WHERE workspace_id = $1 AND id = "
                "$2",
                workspace_id, id)
             .affected() > 0;
}

std::vector<MailboxPoll> PgReportingMailboxes::claim_polls(std::int64_t now,
                                                           std::int64_t lease_until, int limit) {
  const auto rows = db_.run(
      std::string("UPDATE reporting_mailboxes SET lease_until = $1 WHERE id IN (SELECT id FROM "
                  "reporting_mailboxes WHERE enabled AND next_poll_at <= $2 AND lease_until <= $2 "
                  "ORDER BY next_poll_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ") +
          rows::kMailboxColumns + ", secret_sealed, uid_validity, last_uid",
      lease_until, now, limit);
  std::vector<MailboxPoll> polls;
  for (int i = 0; i < rows.size(); ++i) {
    const Row row(rows, i);
    MailboxPoll poll;
    poll.mailbox = rows::read_mailbox(row);
    poll.secret_sealed = row.text(rows::kMailboxColumnCount);
    poll.uid_validity = static_cast<std::uint64_t>(row.int64(rows::kMailboxColumnCount + 1));
    poll.last_uid = static_cast<std::uint32_t>(row.int64(rows::kMailboxColumnCount + 2));
    polls.push_back(std::move(poll));
  }
  return polls;
}

bool PgReportingMailboxes::renew_poll(std::int64_t mailbox_id, std::int64_t lease_until) {
  return db_.run("UPDATE reporting_mailboxes SET lease_until = $1 WHERE id = $2 AND enabled",
                 lease_until, mailbox_id)
             .affected() > 0;
}

void PgReportingMailboxes::save_position(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                         std::uint32_t last_uid) {
  db_.run("UPDATE reporting_mailboxes SET uid_validity = $1, last_uid = $2 WHERE id = $3",
          static_cast<std::int64_t>(uid_validity), static_cast<std::int64_t>(last_uid), mailbox_id);
}

void PgReportingMailboxes::finish_poll(std::int64_t mailbox_id, std::int64_t at,
                                       std::int64_t next_at, const std::string& error) {
  db_.run(
      "UPDATE reporting_mailboxes SET lease_until = 0, last_polled_at = $1, next_poll_at = $2, "
      "last_error = $3 WHERE id = $4",
      at, next_at, error, mailbox_id);
}

bool PgReportingMailboxes::begin_message(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                         std::uint32_t uid, std::int64_t now) {
  return db_.run(
                "INSERT INTO mailbox_messages AS m (mailbox_id, uid_validity, uid, state, "
                "taken_at) VALUES ($1, $2, $3, 'taking', $4) ON CONFLICT (mailbox_id, "
                "uid_validity, uid) DO UPDATE SET taken_at = $4 WHERE m.state = 'taking'",
                mailbox_id, static_cast<std::int64_t>(uid_validity), static_cast<std::int64_t>(uid),
                now)
             .affected() > 0;
}

void PgReportingMailboxes::finish_message(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                          std::uint32_t uid, std::int64_t report_id,
                                          const std::string& outcome) {
  db_.run(
      "UPDATE mailbox_messages SET state = 'done', report_id = $1, outcome = $2 "
      "WHERE mailbox_id = $3 AND uid_validity = $4 AND uid = $5",
      report_id, outcome, mailbox_id, static_cast<std::int64_t>(uid_validity),
      static_cast<std::int64_t>(uid));
}

}  // namespace phishdrill::pg
