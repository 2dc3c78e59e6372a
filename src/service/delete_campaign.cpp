#include "service/delete_campaign.h"

#include "service/audit.h"

namespace phishdrill::service {

Result<void> DeleteCampaign::run(const Caller& caller, std::int64_t id) {
  return store_.write([&](Repositories& repos) -> Result<void> {
    const Campaign c = PD_TRY(find_campaign(repos, caller, id));
    if (c.status == CampaignStatus::kActive || !hold_status(repos, c)) {
      return fail(ErrorCode::kConflict, "complete or cancel the campaign before deleting it",
                  "status");
    }
    if (!repos.campaigns.delete_campaign(caller.workspace_id, c.id)) {
      return not_found();  // deleted meanwhile
    }
    repos.notices.announce(ChangeTopic::kCampaigns);
    audit(repos, caller, clock_.now(), "campaign.delete", "campaign", c.id, {{"name", c.name}});
    return {};
  });
}

}  // namespace phishdrill::service
