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

// The draft's targets once its launch time is settled (`launch_at`, else its
// own, never before `now`) and its settings still hold.
Result<std::vector<Target>> ready_targets(Repositories& repos, std::int64_t ws, Campaign& c,
                                          std::int64_t launch_at, std::int64_t now) {
  if (c.status != CampaignStatus::kDraft) return already_launched();
  PD_TRY(check_references(repos, ws, c));
  if (launch_at) c.launch_at = launch_at;
  if (c.launch_at < now) c.launch_at = now;
  if (c.send_by && c.send_by <= c.launch_at) {
    return fail(ErrorCode::kValidation, "send_by has passed; choose a later time", "send_by");
  }
  auto targets = repos.campaigns.targets_of_groups(ws, c.group_ids);
  if (targets.empty()) {
    return fail(ErrorCode::kValidation, "the chosen groups have no targets", "group_ids");
  }
  return targets;
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
    const auto targets = PD_TRY(ready_targets(repos, ws, c, launch_at, now));
    // Claim the launch first: a concurrent launch that read the same draft
    // finds it no longer one, whatever the isolation.
    c.status = CampaignStatus::kActive;
    c.launched_at = now;
    c.updated_at = now;
    if (!repos.campaigns.set_campaign_state(c, CampaignStatus::kDraft)) return already_launched();
    const auto profile = repos.profiles.find_profile(ws, c.profile_id);
    if (!profile) return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
    auto variants = PD_TRY(snapshot_variants(repos, ws, c, *profile));
    const SendPlanInput plan{.launch_at = c.launch_at,
                             .send_by = c.send_by,
                             .rate_per_minute = profile->rate_per_minute,
                             .jitter_seconds = c.jitter_seconds,
                             .window = c.window,
                             .seed = c.seed};
    const auto recipients = PD_TRY(plan_recipients(
        targets, variants.choices, plan, [&] { return tokens_.token(16); },
        [&](std::int64_t variant) { return new_message_id(variants.sender_of[variant]); }));
    repos.campaigns.insert_recipients(ws, c.id, recipients);
    audit(repos, caller, now, "campaign.launch", "campaign", c.id,
          {{"recipients", static_cast<std::int64_t>(recipients.size())},
           {"launch_at", format_rfc3339(c.launch_at)}});
    view = view_of(repos, c, now);
    return {};
  }));
  return view;
}

}  // namespace phishdrill::service
