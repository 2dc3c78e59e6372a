#include "service/launch_campaign.h"

#include <map>
#include <string>
#include <vector>

#include "core/email_address.h"
#include "core/recipient_plan.h"
#include "core/time_format.h"
#include "mail/mime_composer.h"
#include "service/audit.h"

namespace phishdrill::service {
namespace {

std::unexpected<Error> already_launched() {
  return fail(ErrorCode::kConflict, "this campaign was already launched", "status");
}

// Targets are read, planned and inserted this many at a time.
constexpr std::size_t kLaunchBatch = 5000;

// How many people the draft reaches, once its launch time is settled
// (`launch_at`, else its own, never before `now`) and its settings still hold.
Result<std::size_t> ready_audience(Repositories& repos, std::int64_t ws, Campaign& c,
                                   std::int64_t launch_at, std::int64_t now) {
  if (c.status != CampaignStatus::kDraft) return already_launched();
  PD_TRY(check_references(repos, ws, c));
  if (launch_at) c.launch_at = launch_at;
  if (c.launch_at < now) c.launch_at = now;
  if (c.send_by && c.send_by <= c.launch_at) {
    return fail(ErrorCode::kValidation, "send_by has passed; choose a later time", "send_by");
  }
  const auto count = repos.campaigns.count_targets_of_groups(ws, c.group_ids);
  if (count == 0) {
    return fail(ErrorCode::kValidation, "the chosen groups have no targets", "group_ids");
  }
  return static_cast<std::size_t>(count);
}

struct Variants {
  std::vector<VariantChoice> choices;
  std::map<std::int64_t, std::string> sender_of;  // variant id → From address
};

// Snapshots each chosen template as a variant of `c`.
Result<Variants> snapshot_variants(Repositories& repos, std::int64_t ws, const Campaign& c,
                                   const SendingProfile& profile) {
  Variants out;
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    const auto& choice = c.templates[i];
    auto content = repos.templates.find_template(ws, choice.template_id);
    if (!content) {
      return fail(ErrorCode::kValidation, "no such template",
                  "templates[" + std::to_string(i) + "].template_id");
    }
    const auto id =
        repos.campaigns.insert_variant(c.id, {0, choice.template_id, choice.weight, *content});
    out.choices.push_back({id, choice.weight});
    auto from = parse_mailbox(content->from.empty() ? profile.from : content->from, "from");
    out.sender_of[id] = from ? from->address : std::string();
  }
  return out;
}

}  // namespace

Result<CampaignView> LaunchCampaign::run(const Caller& caller, std::int64_t id,
                                         std::int64_t launch_at) {
  CampaignView view;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    const auto ws = caller.workspace_id;
    const auto now = clock_.now();
    Campaign c = PD_TRY(find_campaign(repos, caller, id));
    const auto audience = PD_TRY(ready_audience(repos, ws, c, launch_at, now));
    // Claim the launch first: a concurrent launch that read the same draft
    // finds it no longer one, whatever the isolation.
    c.status = CampaignStatus::kActive;
    c.launched_at = now;
    c.updated_at = now;
    if (!repos.campaigns.set_campaign_state(c, CampaignStatus::kDraft)) return already_launched();
    repos.notices.announce(ChangeTopic::kCampaigns);
    const auto profile = repos.profiles.find_profile(ws, c.profile_id);
    if (!profile) return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
    auto variants = PD_TRY(snapshot_variants(repos, ws, c, *profile));
    const SendPlanInput plan{.launch_at = c.launch_at,
                             .send_by = c.send_by,
                             .rate_per_minute = profile->rate_per_minute,
                             .jitter_seconds = c.jitter_seconds,
                             .window = c.window,
                             .seed = c.seed};
    auto planner = PD_TRY(RecipientPlanner::create(audience, variants.choices, plan));
    const NewRid new_rid = [&] { return tokens_.token(16); };
    const NewMessageId message_id = [&](std::int64_t variant) {
      return new_message_id(variants.sender_of[variant]);
    };
    PD_TRY(repos.campaigns.for_each_target_of_groups(
        ws, c.group_ids, kLaunchBatch, [&](const std::vector<Target>& targets) -> Result<void> {
          repos.campaigns.insert_recipients(ws, c.id,
                                            PD_TRY(planner.plan(targets, new_rid, message_id)));
          return {};
        }));
    if (planner.planned() != audience) {
      return fail(ErrorCode::kConflict,
                  "the campaign's groups changed during the launch; try again", "group_ids");
    }
    audit(repos, caller, now, "campaign.launch", "campaign", c.id,
          {{"recipients", static_cast<std::int64_t>(planner.planned())},
           {"launch_at", format_rfc3339(c.launch_at)}});
    view = view_of(repos, c, now);
    return {};
  }));
  return view;
}

}  // namespace phishdrill::service
