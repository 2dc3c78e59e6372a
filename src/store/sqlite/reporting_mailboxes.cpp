#include "store/report_rows.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

Result<ReportingMailbox> SqliteReportingMailboxes::create_mailbox(
    const ReportingMailbox& m, const std::string& secret_sealed) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO reporting_mailboxes (workspace_id, name, host, port, tls, username, "
               "auth, secret_sealed, folder, after_processing, done_folder, poll_seconds, "
               "enabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            .bind(1, m.workspace_id)
            .bind(2, m.name)
            .bind(3, m.host)
            .bind(4, m.port)
            .bind(5, m.tls)
            .bind(6, m.username)
            .bind(7, m.auth)
            .bind(8, secret_sealed)
            .bind(9, m.folder)
            .bind(10, m.after)
            .bind(11, m.done_folder)
            .bind(12, m.poll_seconds)
            .bind(13, m.enabled ? 1 : 0)
            .bind(14, m.created_at)
            .bind(15, m.updated_at)
            .run();
        ReportingMailbox created = m;
        created.id = db_.last_insert_id();
        created.has_secret = !secret_sealed.empty();
        return created;
      },
      "name", "a reporting mailbox with this name already exists");
}

Result<void> SqliteReportingMailboxes::update_mailbox(const ReportingMailbox& m,
                                                      const std::string& secret_sealed) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "UPDATE reporting_mailboxes SET name = ?1, host = ?2, port = ?3, tls = ?4, "
               "username = ?5, auth = ?6, secret_sealed = CASE WHEN ?7 = '' THEN secret_sealed "
               "ELSE ?7 END, folder = ?8, after_processing = ?9, done_folder = ?10, "
               "poll_seconds = ?11, enabled = ?12, updated_at = ?13, next_poll_at = 0 "
               "WHERE workspace_id = ?14 AND id = ?15")
            .bind(1, m.name)
            .bind(2, m.host)
            .bind(3, m.port)
            .bind(4, m.tls)
            .bind(5, m.username)
            .bind(6, m.auth)
            .bind(7, secret_sealed)
            .bind(8, m.folder)
            .bind(9, m.after)
            .bind(10, m.done_folder)
            .bind(11, m.poll_seconds)
            .bind(12, m.enabled ? 1 : 0)
            .bind(13, m.updated_at)
            .bind(14, m.workspace_id)
            .bind(15, m.id)
            .run();
      },
      "name", "a reporting mailbox with this name already exists");
}

std::optional<ReportingMailbox> SqliteReportingMailboxes::find_mailbox(std::int64_t workspace_id,
                                                                       std::int64_t id) {
  return find_owned<ReportingMailbox>(db_, rows::kMailboxColumns, "reporting_mailboxes",
                                      workspace_id, id, rows::read_mailbox<Statement>);
}

std::optional<std::string> SqliteReportingMailboxes::mailbox_secret(std::int64_t workspace_id,
                                                                    std::int64_t id) {
  auto stmt = db_.prepare(
      "SELECT secret_sealed FROM reporting_mailboxes WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

Page<ReportingMailbox> SqliteReportingMailboxes::list_mailboxes(std::int64_t workspace_id,
                                                                PageRequest page) {
  return list_owned<ReportingMailbox>(db_, rows::kMailboxColumns, "reporting_mailboxes",
                                      workspace_id, page, rows::read_mailbox<Statement>);
}

bool SqliteReportingMailboxes::delete_mailbox(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "reporting_mailboxes", workspace_id, id);
}

bool SqliteReportingMailboxes::poll_soon(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("UPDATE reporting_mailboxes SET next_poll_at = 0 WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

std::vector<MailboxPoll> SqliteReportingMailboxes::claim_polls(std::int64_t now,
                                                               std::int64_t lease_until,
                                                               int limit) {
  auto stmt = db_.prepare(
      std::string("UPDATE reporting_mailboxes SET lease_until = ?1 WHERE id IN (SELECT id FROM "
                  "reporting_mailboxes WHERE enabled <> 0 AND next_poll_at <= ?2 AND "
                  "lease_until <= ?2 ORDER BY next_poll_at LIMIT ?3) RETURNING ") +
      rows::kMailboxColumns + ", secret_sealed, uid_validity, last_uid");
  stmt.bind(1, lease_until).bind(2, now).bind(3, limit);
  std::vector<MailboxPoll> polls;
  while (stmt.step()) {
    MailboxPoll poll;
    poll.mailbox = rows::read_mailbox(stmt);
    poll.secret_sealed = stmt.text(rows::kMailboxColumnCount);
    poll.uid_validity = static_cast<std::uint64_t>(stmt.int64(rows::kMailboxColumnCount + 1));
    poll.last_uid = static_cast<std::uint32_t>(stmt.int64(rows::kMailboxColumnCount + 2));
    polls.push_back(std::move(poll));
  }
  return polls;
}

bool SqliteReportingMailboxes::renew_poll(std::int64_t mailbox_id, std::int64_t lease_until) {
  db_.prepare("UPDATE reporting_mailboxes SET lease_until = ? WHERE id = ? AND enabled <> 0")
      .bind(1, lease_until)
      .bind(2, mailbox_id)
      .run();
  return db_.changes() > 0;
}

void SqliteReportingMailboxes::save_position(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                             std::uint32_t last_uid) {
  db_.prepare("UPDATE reporting_mailboxes SET uid_validity = ?, last_uid = ? WHERE id = ?")
      .bind(1, static_cast<std::int64_t>(uid_validity))
      .bind(2, static_cast<std::int64_t>(last_uid))
      .bind(3, mailbox_id)
      .run();
}

void SqliteReportingMailboxes::finish_poll(std::int64_t mailbox_id, std::int64_t at,
                                           std::int64_t next_at, const std::string& error) {
  db_.prepare(
         "UPDATE reporting_mailboxes SET lease_until = 0, last_polled_at = ?, next_poll_at = ?, "
         "last_error = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, next_at)
      .bind(3, error)
      .bind(4, mailbox_id)
      .run();
}

bool SqliteReportingMailboxes::begin_message(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                             std::uint32_t uid, std::int64_t now) {
  db_.prepare(
         "INSERT INTO mailbox_messages (mailbox_id, uid_validity, uid, state, taken_at) "
         "VALUES (?1, ?2, ?3, 'taking', ?4) ON CONFLICT (mailbox_id, uid_validity, uid) "
         "DO UPDATE SET taken_at = ?4 WHERE state = 'taking'")
      .bind(1, mailbox_id)
      .bind(2, static_cast<std::int64_t>(uid_validity))
      .bind(3, static_cast<std::int64_t>(uid))
      .bind(4, now)
      .run();
  return db_.changes() > 0;
}

void SqliteReportingMailboxes::finish_message(std::int64_t mailbox_id, std::uint64_t uid_validity,
                                              std::uint32_t uid, std::int64_t report_id,
                                              const std::string& outcome) {
  db_.prepare(
         "UPDATE mailbox_messages SET state = 'done', report_id = ?, outcome = ? "
         "WHERE mailbox_id = ? AND uid_validity = ? AND uid = ?")
      .bind(1, report_id)
      .bind(2, outcome)
      .bind(3, mailbox_id)
      .bind(4, static_cast<std::int64_t>(uid_validity))
      .bind(5, static_cast<std::int64_t>(uid))
      .run();
}

}  // namespace phishdrill::sqlite
