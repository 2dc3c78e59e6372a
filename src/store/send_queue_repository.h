// Port: the campaign send queue. Claims are exclusive until their lease ends
// (a conditional update: only a queued, due recipient or one whose lease ran
// out can be claimed), so any number of dispatchers, on any number of nodes,
// never send one recipient twice at once. Works on ids the dispatcher itself
// claimed. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/campaign.h"
#include "core/recipient.h"

namespace phishdrill {

// What the dispatcher needs about a claimed recipient's campaign.
struct DispatchInfo {
  std::int64_t workspace_id = 0;
  CampaignStatus status = CampaignStatus::kDraft;
  std::int64_t profile_id = 0;
  std::string base_url;
};

class SendQueueRepository {
 public:
  virtual ~SendQueueRepository() = default;

  // Dispatcher: claims up to `limit` recipients of active campaigns that are
  // due (queued with send_at <= now) or whose lease expired (in doubt after a
  // crash), moving them to kSending until `lease_until` and counting an attempt.
  virtual std::vector<Recipient> claim_due(std::int64_t now, std::int64_t lease_until,
                                           int limit) = 0;
  virtual std::optional<DispatchInfo> dispatch_info(std::int64_t campaign_id) = 0;
  virtual void mark_sent(std::int64_t recipient_id, std::int64_t at) = 0;
  // Back to the queue for `next_at` (cancelled instead when the campaign
  // finished meanwhile, so nothing lingers queued on a finished campaign).
  virtual void mark_retry(std::int64_t recipient_id, std::int64_t next_at, const std::string& error,
                          int smtp_code) = 0;
  virtual void mark_failed(std::int64_t recipient_id, const std::string& error, int smtp_code) = 0;
  virtual void mark_cancelled(std::int64_t recipient_id) = 0;
  // Gives back a claim that was never tried (the dispatcher is stopping):
  // queued again at once, its attempt not counted.
  virtual void release_claim(std::int64_t recipient_id) = 0;
  // Extends the lease of a recipient this dispatcher holds.
  virtual void renew_lease(std::int64_t recipient_id, std::int64_t lease_until) = 0;
};

}  // namespace phishdrill
