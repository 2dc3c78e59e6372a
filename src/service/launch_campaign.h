// LaunchCampaign: turns a draft into an active campaign in one transaction —
// snapshots each chosen template as a variant, plans one queued recipient per
// distinct target of its groups (variant by weight, send time from the send
// plan, a rid from the token source and a Message-ID from the variant's
// sender) and moves the campaign from draft to active (shown as "scheduled"
// until its launch time).
// Contract: the campaign is the caller's (kNotFound) and a draft (kConflict,
// field "status"); the ids it names still exist (kValidation); the launch
// time is `launch_at`, else the campaign's, never before now; send_by must lie
// after it and the groups must have targets (kValidation). Safe under any
// isolation: the draft → active change is a conditional update whose outcome
// is checked before anything is inserted, so of two concurrent launches
// exactly one plans recipients and the other gets kConflict. Audited in the
// same transaction. Thread-safe.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/token_source.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

class LaunchCampaign {
 public:
  LaunchCampaign(Store& store, const Clock& clock, const TokenSource& tokens)
      : store_(store), clock_(clock), tokens_(tokens) {}

  // `launch_at` 0 = the campaign's own launch time (or now).
  Result<CampaignView> run(const Caller& caller, std::int64_t id, std::int64_t launch_at);

 private:
  Store& store_;
  const Clock& clock_;
  const TokenSource& tokens_;
};

}  // namespace phishdrill::service
