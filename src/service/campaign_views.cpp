#include "service/campaign_views.h"

#include "core/timeline.h"

namespace phishdrill::service {

Result<Page<CampaignView>> CampaignViews::list(const Caller& caller, PageRequest page) {
  Page<CampaignView> out;
  PD_TRY(store_.read([&](Repositories& repos) -> Result<void> {
    auto campaigns = repos.campaigns.list_campaigns(caller.workspace_id, page);
    const auto now = clock_.now();
    out.items.reserve(campaigns.items.size());
    for (const auto& c : campaigns.items) out.items.push_back(view_of(repos, c, now));
    out.next_after = campaigns.next_after;
    return {};
  }));
  return out;
}

Result<CampaignView> CampaignViews::get(const Caller& caller, std::int64_t id) {
  CampaignView view;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    view = view_of(repos, c, clock_.now());
  }));
  return view;
}

Result<std::int64_t> CampaignViews::audience(const Caller& caller, std::int64_t id) {
  std::int64_t people = 0;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    people = c.status == CampaignStatus::kDraft
                 ? repos.campaigns.count_targets_of_groups(caller.workspace_id, c.group_ids)
                 : repos.results.count_recipients(c.id).total;
  }));
  return people;
}

Result<CampaignTimeline> CampaignViews::timeline(const Caller& caller, std::int64_t id) {
  CampaignTimeline out;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    const auto [first, last] = repos.results.activity_span(c.id);
    out.bucket_seconds = bucket_for_span(last - first);
    out.buckets = repos.results.timeline(c.id, out.bucket_seconds);
  }));
  return out;
}

Result<Page<Recipient>> CampaignViews::recipients(const Caller& caller, std::int64_t id,
                                                  const RecipientFilter& filter, PageRequest page) {
  Page<Recipient> out;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    out = repos.results.list_recipients(c.id, filter, page);
  }));
  return out;
}

Result<std::vector<Recipient>> CampaignViews::all_recipients(const Caller& caller, std::int64_t id,
                                                             const RecipientFilter& filter) {
  std::vector<Recipient> out;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    PageRequest page{0, 1000};
    for (;;) {
      auto items = repos.results.list_recipients(c.id, filter, page);
      for (auto& r : items.items) out.push_back(std::move(r));
      if (!items.next_after) break;
      page.after_id = *items.next_after;
    }
  }));
  return out;
}

Result<Page<EventRecord>> CampaignViews::events(const Caller& caller, std::int64_t id,
                                                std::int64_t recipient_id, PageRequest page) {
  Page<EventRecord> out;
  PD_TRY(read_campaign(caller, id, [&](Repositories& repos, const Campaign& c) {
    out = repos.events.list_events(c.id, recipient_id, page);
  }));
  return out;
}

}  // namespace phishdrill::service
