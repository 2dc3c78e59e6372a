// Port: campaigns, their variants (template snapshots taken at launch) and
// their recipients as launch writes them; the send queue, tracking events and
// results have ports of their own (send_queue_repository.h,
// events_repository.h, results_repository.h). Every method is scoped by
// workspace or takes an id its caller already scoped. Used only inside a
// Store transaction. Names are unique per workspace by a constraint.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/campaign.h"
#include "core/email_template.h"
#include "core/error.h"
#include "core/recipient.h"
#include "core/target.h"
#include "store/page.h"

namespace phishdrill {

// The content of one template as it was at launch, with its weight.
struct CampaignVariant {
  std::int64_t id = 0;
  std::int64_t template_id = 0;
  int weight = 1;
  EmailTemplate content;
};

class CampaignsRepository {
 public:
  virtual ~CampaignsRepository() = default;

  // Name unique per workspace (kConflict, field "name").
  virtual Result<Campaign> create_campaign(std::int64_t workspace_id, const Campaign& c) = 0;
  virtual std::optional<Campaign> find_campaign(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Campaign> list_campaigns(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_campaign(std::int64_t workspace_id, const Campaign& c) = 0;
  // Deletes the campaign with its variants, recipients and events.
  virtual bool delete_campaign(std::int64_t workspace_id, std::int64_t id) = 0;

  // Distinct targets of the given groups (a person in two groups once), by id.
  virtual std::vector<Target> targets_of_groups(std::int64_t workspace_id,
                                                const std::vector<std::int64_t>& group_ids) = 0;
  // The same targets handed to `each` at most `batch` at a time, in id order,
  // so a launch of a million never holds them all; stops at and returns the
  // first Error `each` returns. `each` may write in the same transaction.
  using TargetBatch = std::function<Result<void>(const std::vector<Target>&)>;
  virtual Result<void> for_each_target_of_groups(std::int64_t workspace_id,
                                                 const std::vector<std::int64_t>& group_ids,
                                                 std::size_t batch, const TargetBatch& each) = 0;
  virtual std::int64_t insert_variant(std::int64_t campaign_id, const CampaignVariant& v) = 0;
  virtual std::optional<CampaignVariant> find_variant(std::int64_t id) = 0;
  virtual void insert_recipients(std::int64_t workspace_id, std::int64_t campaign_id,
                                 const std::vector<Recipient>& recipients) = 0;
  // A conditional update: sets status (and launched_at / completed_at /
  // launch_at / updated_at as given in `c`) only while the stored status is
  // still `from`; false when it was not (another change won), nothing written.
  virtual bool set_campaign_state(const Campaign& c, CampaignStatus from) = 0;
  // Queued recipients of the campaign become cancelled; returns how many.
  virtual std::int64_t cancel_unsent(std::int64_t campaign_id) = 0;

  // Distinct targets in these groups of the workspace (a draft's audience).
  virtual std::int64_t count_targets_of_groups(std::int64_t workspace_id,
                                               const std::vector<std::int64_t>& group_ids) = 0;
};

}  // namespace phishdrill
