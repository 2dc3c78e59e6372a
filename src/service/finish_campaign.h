// FinishCampaign: completes (tracking stops) or cancels (nothing more is
// sent; results kept) an active campaign; its queued recipients become
// cancelled. Contract: the campaign is the caller's (kNotFound) and active
// (kConflict, field "status"); the active → finished change is a conditional
// update whose outcome is checked, so of two concurrent finishes exactly one
// wins, whatever the store's isolation. Audited in the same transaction.
// Thread-safe.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

class FinishCampaign {
 public:
  FinishCampaign(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // `target` is kCompleted or kCancelled.
  Result<CampaignView> run(const Caller& caller, std::int64_t id, CampaignStatus target);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace phishdrill::service
