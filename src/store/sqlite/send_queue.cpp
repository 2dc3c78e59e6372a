// The campaign send queue: leased claims and their outcomes.
#include "store/sqlite/recipient_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::vector<Recipient> SqliteSendQueue::claim_due(std::int64_t now, std::int64_t lease_until,
                                                  int limit) {
  std::vector<Recipient> claimed;
  // Expired leases first (messages in doubt after a crash), then due messages.
  for (const char* condition :
       {"r.state = 'sending' AND r.lease_until < ?2", "r.state = 'queued' AND r.send_at <= ?2"}) {
    if (static_cast<int>(claimed.size()) >= limit) break;
    auto stmt = db_.prepare(
        std::string("UPDATE recipients SET state = 'sending', lease_until = ?1, "
                    "attempts = attempts + 1 WHERE id IN (SELECT r.id FROM recipients r "
                    "JOIN campaigns c ON c.id = r.campaign_id WHERE c.status = 'active' AND ") +
        condition + " ORDER BY r.send_at, r.id LIMIT ?3) RETURNING " + kRecipientColumns);
    stmt.bind(1, lease_until).bind(2, now).bind(3, limit - static_cast<int>(claimed.size()));
    while (stmt.step()) claimed.push_back(read_recipient(stmt));
  }
  return claimed;
}

std::optional<DispatchInfo> SqliteSendQueue::dispatch_info(std::int64_t campaign_id) {
  auto stmt =
      db_.prepare("SELECT workspace_id, status, profile_id, base_url FROM campaigns WHERE id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step()) return std::nullopt;
  return DispatchInfo{stmt.int64(0),
                      parse_campaign_status(stmt.text(1)).value_or(CampaignStatus::kDraft),
                      stmt.int64(2), stmt.text(3)};
}

void SqliteSendQueue::mark_sent(std::int64_t recipient_id, std::int64_t at) {
  db_.prepare(
         "UPDATE recipients SET state = 'sent', sent_at = ?, lease_until = 0, last_error = '', "
         "smtp_code = 0 WHERE id = ?")
      .bind(1, at)
      .bind(2, recipient_id)
      .run();
}

void SqliteSendQueue::mark_retry(std::int64_t recipient_id, std::int64_t next_at,
                                 const std::string& error, int smtp_code) {
  db_.prepare(
         "UPDATE recipients SET state = CASE WHEN (SELECT status FROM campaigns c "
         "WHERE c.id = recipients.campaign_id) = 'active' THEN 'queued' ELSE 'cancelled' END, "
         "send_at = ?, lease_until = 0, last_error = ?, smtp_code = ? WHERE id = ?")
      .bind(1, next_at)
      .bind(2, error)
      .bind(3, smtp_code)
      .bind(4, recipient_id)
      .run();
}

void SqliteSendQueue::mark_failed(std::int64_t recipient_id, const std::string& error,
                                  int smtp_code) {
  db_.prepare(
         "UPDATE recipients SET state = 'failed', lease_until = 0, last_error = ?, smtp_code = ? "
         "WHERE id = ?")
      .bind(1, error)
      .bind(2, smtp_code)
      .bind(3, recipient_id)
      .run();
}

void SqliteSendQueue::mark_cancelled(std::int64_t recipient_id) {
  db_.prepare("UPDATE recipients SET state = 'cancelled', lease_until = 0 WHERE id = ?")
      .bind(1, recipient_id)
      .run();
}

void SqliteSendQueue::release_claim(std::int64_t recipient_id) {
  db_.prepare(
         "UPDATE recipients SET state = 'queued', lease_until = 0, "
         "attempts = MAX(attempts - 1, 0) WHERE id = ? AND state = 'sending'")
      .bind(1, recipient_id)
      .run();
}

void SqliteSendQueue::renew_lease(std::int64_t recipient_id, std::int64_t lease_until) {
  db_.prepare("UPDATE recipients SET lease_until = ? WHERE id = ? AND state = 'sending'")
      .bind(1, lease_until)
      .bind(2, recipient_id)
      .run();
}

}  // namespace phishdrill::sqlite
