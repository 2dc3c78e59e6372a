// CampaignViews: what the admin views read about the caller's campaigns —
// the list, one campaign (with its counts, results and phase), its
// audience, timeline, recipients (a page, or all of them for an export) and
// events. Read-only; each call is one read transaction, so it sees one
// consistent snapshot. A campaign that is not the caller's is kNotFound.
// Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "service/campaign_common.h"

namespace phishdrill::service {

struct CampaignTimeline {
  std::int64_t bucket_seconds = 0;
  std::vector<TimelineBucket> buckets;  // non-empty buckets, by time
};

class CampaignViews {
 public:
  CampaignViews(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Page<CampaignView>> list(const Caller& caller, PageRequest page);
  Result<CampaignView> get(const Caller& caller, std::int64_t id);
  // How many people a launch would reach now (distinct targets of a draft's
  // groups), or has reached once launched.
  Result<std::int64_t> audience(const Caller& caller, std::int64_t id);
  // People reaching each stage per bucket; the bucket is the smallest round
  // size that cuts the campaign's activity span into fewer than 200.
  Result<CampaignTimeline> timeline(const Caller& caller, std::int64_t id);
  Result<Page<Recipient>> recipients(const Caller& caller, std::int64_t id,
                                     const RecipientFilter& filter, PageRequest page);
  // Every matching recipient, by id (read in pages of 1000).
  Result<std::vector<Recipient>> all_recipients(const Caller& caller, std::int64_t id,
                                                const RecipientFilter& filter);
  // recipient_id 0 = every recipient.
  Result<Page<EventRecord>> events(const Caller& caller, std::int64_t id, std::int64_t recipient_id,
                                   PageRequest page);

 private:
  // Runs `fn(repos, campaign)` in a read transaction on the caller's campaign.
  template <typename Fn>
  Result<void> read_campaign(const Caller& caller, std::int64_t id, Fn&& fn) {
    return store_.read([&](Repositories& repos) -> Result<void> {
      const Campaign c = PD_TRY(find_campaign(repos, caller, id));
      fn(repos, c);
      return {};
    });
  }

  Store& store_;
  const Clock& clock_;
};

}  // namespace phishdrill::service
