// The campaign send queue: leased claims and their outcomes.
#include <algorithm>

#include "store/postgres/recipient_rows.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::vector<Recipient> PgSendQueue::claim_due(std::int64_t now, std::int64_t lease_until,
                                              int limit) {
  std::vector<Recipient> claimed;
  // Expired leases first (messages in doubt after a crash), then due
  // messages. SKIP LOCKED: nodes claiming at once take different rows.
  for (const char* condition :
       {"r.state = 'sending' AND r.lease_until < $2", "r.state = 'queued' AND r.send_at <= $2"}) {
    if (static_cast<int>(claimed.size()) >= limit) break;
    const auto rows =
        db_.run(std::string("WITH due AS (SELECT r.id FROM recipients r JOIN campaigns c ON "
                            "c.id = r.campaign_id WHERE c.status = 'active' AND ") +
                    condition +
                    " ORDER BY r.send_at, r.id LIMIT $3 FOR UPDATE OF r SKIP LOCKED) "
                    "UPDATE recipients r SET state = 'sending', lease_until = $1, "
                    "attempts = r.attempts + 1 FROM due WHERE r.id = due.id RETURNING " +
                    recipient_columns_of("r"),
                lease_until, now, limit - static_cast<int>(claimed.size()));
    for (int i = 0; i < rows.size(); ++i) claimed.push_back(read_recipient(Row(rows, i)));
  }
  // RETURNING keeps no order: due first, as the claim chose them.
  std::sort(claimed.begin(), claimed.end(), [](const Recipient& a, const Recipient& b) {
    return std::pair(a.send_at, a.id) < std::pair(b.send_at, b.id);
  });
  return claimed;
}

std::optional<DispatchInfo> PgSendQueue::dispatch_info(std::int64_t campaign_id) {
  const auto rows =
      db_.run("SELECT workspace_id, status, profile_id, base_url FROM campaigns WHERE id = $1",
              campaign_id);
  if (rows.empty()) return std::nullopt;
  return DispatchInfo{rows.int64(0, 0),
                      parse_campaign_status(rows.text(0, 1)).value_or(CampaignStatus::kDraft),
                      rows.int64(0, 2), rows.text(0, 3)};
}

void PgSendQueue::mark_sent(std::int64_t recipient_id, std::int64_t at) {
  db_.run(
      "UPDATE recipients SET state = 'sent', sent_at = $1, lease_until = 0, last_error = '', "
      "smtp_code = 0 WHERE id = $2",
      at, recipient_id);
}

void PgSendQueue::mark_retry(std::int64_t recipient_id, std::int64_t next_at,
                             const std::string& error, int smtp_code) {
  db_.run(
      "UPDATE recipients SET state = CASE WHEN (SELECT status FROM campaigns c "
      "WHERE c.id = recipients.campaign_id) = 'active' THEN 'queued' ELSE 'cancelled' END, "
      "send_at = $1, lease_until = 0, last_error = $2, smtp_code = $3 WHERE id = $4",
      next_at, error, smtp_code, recipient_id);
}

void PgSendQueue::mark_failed(std::int64_t recipient_id, const std::string& error, int smtp_code) {
  db_.run(
      "UPDATE recipients SET state = 'failed', lease_until = 0, last_error = $1, smtp_code = $2 "
      "WHERE id = $3",
      error, smtp_code, recipient_id);
}

void PgSendQueue::mark_cancelled(std::int64_t recipient_id) {
  db_.run("UPDATE recipients SET state = 'cancelled', lease_until = 0 WHERE id = $1", recipient_id);
}

void PgSendQueue::release_claim(std::int64_t recipient_id) {
  db_.run(
      "UPDATE recipients SET state = 'queued', lease_until = 0, "
      "attempts = GREATEST(attempts - 1, 0) WHERE id = $1 AND state = 'sending'",
      recipient_id);
}

void PgSendQueue::renew_lease(std::int64_t recipient_id, std::int64_t lease_until) {
  db_.run("UPDATE recipients SET lease_until = $1 WHERE id = $2 AND state = 'sending'", lease_until,
          recipient_id);
}

}  // namespace phishdrill::pg
