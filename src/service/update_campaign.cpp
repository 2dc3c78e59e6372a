#include "service/update_campaign.h"

#include "service/audit.h"

namespace phishdrill::service {

Result<CampaignView> UpdateCampaign::run(const Caller& caller, std::int64_t id, Campaign input) {
  PD_TRY(check_follow_up(training_, caller.workspace_id, input));
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    const Campaign c = PD_TRY(find_campaign(repos, caller, id));
    if (c.status != CampaignStatus::kDraft || !hold_status(repos, c)) {
      return fail(ErrorCode::kConflict, "only a draft can be edited; this campaign was launched",
                  "status");
    }
    PD_TRY(check_references(repos, caller.workspace_id, input));
    input.id = c.id;
    input.status = CampaignStatus::kDraft;
    input.seed = c.seed;
    input.created_at = c.created_at;
    input.updated_at = clock_.now();
    PD_TRY(repos.campaigns.update_campaign(caller.workspace_id, input));
    audit(repos, caller, input.updated_at, "campaign.update", "campaign", c.id,
          {{"name", input.name}});
    return {};
  }));
  return draft_view(input, input.updated_at);
}

}  // namespace phishdrill::service
