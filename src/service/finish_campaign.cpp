#include "service/finish_campaign.h"

#include <string>

#include "service/audit.h"

namespace phishdrill::service {

Result<CampaignView> FinishCampaign::run(const Caller& caller, std::int64_t id,
                                         CampaignStatus target) {
  const bool completing = target == CampaignStatus::kCompleted;
  if (!completing && target != CampaignStatus::kCancelled) {
    return fail(ErrorCode::kInternal, "a campaign finishes as completed or cancelled");
  }
  const auto not_active = [&] {
    return fail(
        ErrorCode::kConflict,
        std::string("only a launched campaign can be ") + (completing ? "completed" : "cancelled"),
        "status");
  };
  CampaignView view;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    Campaign c = PD_TRY(find_campaign(repos, caller, id));
    if (c.status != CampaignStatus::kActive) return not_active();
    const auto now = clock_.now();
    c.status = target;
    c.completed_at = now;
    c.updated_at = now;
    if (!repos.campaigns.set_campaign_state(c, CampaignStatus::kActive)) return not_active();
    const auto stopped = repos.campaigns.cancel_unsent(c.id);
    repos.notices.announce(ChangeTopic::kCampaigns);  // its rids stop answering on every node
    audit(repos, caller, now, completing ? "campaign.complete" : "campaign.cancel", "campaign",
          c.id, {{"unsent_cancelled", stopped}});
    view = view_of(repos, c, now);
    return {};
  }));
  return view;
}

}  // namespace phishdrill::service
