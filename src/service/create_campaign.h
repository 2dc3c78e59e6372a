// CreateCampaign: saves a validated draft in the caller's workspace.
// Contract: the follow-up module is in the workspace's catalogue and every id
// the draft names exists in the workspace (kValidation naming the field); the
// name is unique per workspace (kConflict, enforced by the store's
// constraint). The draft gets a seed from the token source and is dated now;
// the change is audited in the same transaction. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "core/token_source.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

class CreateCampaign {
 public:
  CreateCampaign(Store& store, const Clock& clock, const TokenSource& tokens,
                 const TrainingCatalogue& training)
      : store_(store), clock_(clock), tokens_(tokens), training_(training) {}

  // `draft` already passed validate_campaign.
  Result<CampaignView> run(const Caller& caller, Campaign draft);

 private:
  Store& store_;
  const Clock& clock_;
  const TokenSource& tokens_;
  const TrainingCatalogue& training_;
};

// A non-negative 63-bit seed folded from a token (stored as a signed integer).
std::uint64_t seed_from_token(std::string_view token);

}  // namespace phishdrill::service
