#include "service/campaign_common.h"

#include <fmt/format.h>

namespace phishdrill::service {

CampaignView view_of(Repositories& repos, const Campaign& c, std::int64_t now) {
  CampaignView view{c, repos.results.count_recipients(c.id), repos.results.result_counts(c.id), {}};
  view.phase = campaign_phase(c, now, view.counts.queued + view.counts.sending > 0);
  return view;
}

CampaignView draft_view(const Campaign& c, std::int64_t now) {
  return CampaignView{c, {}, {}, campaign_phase(c, now, false)};
}

Result<Campaign> find_campaign(Repositories& repos, const Caller& caller, std::int64_t id) {
  auto c = repos.campaigns.find_campaign(caller.workspace_id, id);
  if (!c) return not_found();
  return std::move(*c);
}

bool hold_status(Repositories& repos, const Campaign& c) {
  return repos.campaigns.set_campaign_state(c, c.status);
}

Result<void> check_references(Repositories& repos, std::int64_t ws, const Campaign& c) {
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    if (!repos.templates.find_template(ws, c.templates[i].template_id)) {
      return fail(ErrorCode::kValidation, "no such template",
                  fmt::format("templates[{}].template_id", i));
    }
  }
  for (std::size_t i = 0; i < c.group_ids.size(); ++i) {
    if (!repos.groups.find_group(ws, c.group_ids[i])) {
      return fail(ErrorCode::kValidation, "no such group", fmt::format("group_ids[{}]", i));
    }
  }
  if (c.page_id && !repos.pages.find_page(ws, c.page_id)) {
    return fail(ErrorCode::kValidation, "no such landing page", "page_id");
  }
  if (!repos.profiles.find_profile(ws, c.profile_id)) {
    return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
  }
  return {};
}

Result<void> check_follow_up(const TrainingCatalogue& training, std::int64_t ws,
                             const Campaign& c) {
  if (c.follow_up && !c.follow_up->module_slug.empty() &&
      !training.find(ws, c.follow_up->module_slug)) {
    return fail(ErrorCode::kValidation, "no such training module", "follow_up.module");
  }
  return {};
}

}  // namespace phishdrill::service
