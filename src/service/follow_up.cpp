#include "service/follow_up.h"

#include "service/assign_training.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kDay = 86400;

// The assignment a campaign's follow-up makes: the workspace's training relay
// and portal when set, else the campaign's own.
NewAssignments follow_up_assignment(const CampaignFollowUp& f, const TrainingSettings& mail,
                                    std::int64_t at) {
  NewAssignments r;
  r.campaign_id = f.campaign_id;
  r.target_ids = {f.target_id};
  r.module_slug = f.follow_up.module_slug;
  r.reason = "campaign";
  r.profile_id = mail.profile_id != 0 ? mail.profile_id : f.profile_id;
  r.portal_base_url = !mail.portal_base_url.empty() ? mail.portal_base_url : f.base_url;
  r.due_at = at + static_cast<std::int64_t>(f.follow_up.due_days) * kDay;
  r.now = at;
  r.notice_at = at + mail.follow_up_delay_seconds;
  return r;
}

void assign_or_reopen(Repositories& repos, const CampaignFollowUp& f, std::int64_t at) {
  const TrainingSettings mail = repos.training.settings(f.workspace_id);
  const NewAssignments request = follow_up_assignment(f, mail, at);
  const auto reopened = repos.training.reopen_withdrawn(f.campaign_id, f.target_id,
                                                        kWithdrawnReason, at, request.due_at);
  if (!reopened) {
    assign_training(repos, f.workspace_id, request, mail);
  } else if (*reopened != 0) {
    queue_assignment_mail(repos, f.workspace_id, *reopened, request, mail);
  }
}

}  // namespace

void follow_up_result(Repositories& repos, std::int64_t recipient_id, int rank, std::int64_t at) {
  const auto follow_up = repos.training.campaign_follow_up(recipient_id);
  if (!follow_up) return;
  if (rank >= follow_up_rank(follow_up->follow_up)) {
    assign_or_reopen(repos, *follow_up, at);
  } else {
    repos.training.withdraw_unstarted(follow_up->campaign_id, follow_up->target_id,
                                      kWithdrawnReason);
  }
}

}  // namespace phishdrill::service
