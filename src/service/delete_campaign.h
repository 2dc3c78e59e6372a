// DeleteCampaign: removes a campaign with its variants, recipients and
// events. Contract: the campaign is the caller's (kNotFound) and not active
// (kConflict, field "status": complete or cancel it first), held in its
// status until deleted (hold_status), so a concurrent launch cannot slip in
// between the check and the delete, whatever the isolation. Audited in the
// same transaction. Thread-safe.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

class DeleteCampaign {
 public:
  DeleteCampaign(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<void> run(const Caller& caller, std::int64_t id);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace phishdrill::service
