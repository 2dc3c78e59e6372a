#include "service/create_campaign.h"

#include "service/audit.h"

namespace phishdrill::service {

std::uint64_t seed_from_token(std::string_view token) {
  std::uint64_t seed = 0;
  for (const char ch : token) seed = seed * 131 + static_cast<unsigned char>(ch);
  return seed & 0x7FFFFFFFFFFFFFFFull;
}

Result<CampaignView> CreateCampaign::run(const Caller& caller, Campaign draft) {
  PD_TRY(check_follow_up(training_, caller.workspace_id, draft));
  const auto now = clock_.now();
  draft.created_at = draft.updated_at = now;
  draft.seed = seed_from_token(tokens_.token(8));
  draft.status = CampaignStatus::kDraft;
  Campaign created;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    PD_TRY(check_references(repos, caller.workspace_id, draft));
    created = PD_TRY(repos.campaigns.create_campaign(caller.workspace_id, draft));
    audit(repos, caller, now, "campaign.create", "campaign", created.id, {{"name", draft.name}});
    return {};
  }));
  return draft_view(created, now);
}

}  // namespace phishdrill::service
