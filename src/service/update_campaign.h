// UpdateCampaign: replaces a draft's settings. Contract: the campaign is the
// caller's (kNotFound) and still a draft (kConflict, field "status"); the
// follow-up module is in the catalogue and every id it names exists in the
// workspace (kValidation); the name stays unique per workspace (kConflict,
// the store's constraint). Id, seed and created_at are kept; updated_at is
// now. The draft is held as a draft while it changes (hold_status), so a
// concurrent launch either waits or wins and this gets kConflict, whatever
// the isolation. Audited in the same transaction. Thread-safe.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

class UpdateCampaign {
 public:
  UpdateCampaign(Store& store, const Clock& clock, const TrainingCatalogue& training)
      : store_(store), clock_(clock), training_(training) {}

  // `input` already passed validate_campaign.
  Result<CampaignView> run(const Caller& caller, std::int64_t id, Campaign input);

 private:
  Store& store_;
  const Clock& clock_;
  const TrainingCatalogue& training_;
};

}  // namespace phishdrill::service
