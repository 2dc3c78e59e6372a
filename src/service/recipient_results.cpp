#include "service/recipient_results.h"

#include <map>
#include <set>

#include "core/funnel.h"
#include "service/follow_up.h"

namespace phishdrill::service {

void advance_recipient(Repositories& repos, const EventRecord& hit, int rank, bool report) {
  if (hit.automated || (rank == 0 && !report)) return;
  const auto current = repos.results.recipient_funnel(hit.recipient_id);
  if (!current) return;
  const Funnel after = advance(current->funnel, rank, report, hit.at);
  if (after == current->funnel) return;
  repos.results.set_recipient_funnel(hit.recipient_id, after);
  repos.results.add_to_counters(hit.campaign_id, counter_delta(current->funnel, after));
  if (after.rank != current->funnel.rank) {
    follow_up_result(repos, hit.recipient_id, after.rank, hit.at);
  }
}

void recompute_recipient(Repositories& repos, std::int64_t recipient_id, std::int64_t now) {
  const auto current = repos.results.recipient_funnel(recipient_id);
  if (!current) return;
  const Funnel after = repos.events.funnel_from_events(recipient_id);
  if (after == current->funnel) return;
  repos.results.set_recipient_funnel(recipient_id, after);
  repos.results.add_to_counters(current->campaign_id, counter_delta(current->funnel, after));
  if (after.rank != current->funnel.rank) follow_up_result(repos, recipient_id, after.rank, now);
}

void follow_changed_events(Repositories& repos, const std::vector<ChangedEvent>& changed,
                           bool now_automated, std::int64_t now) {
  std::map<std::int64_t, std::int64_t> automated_by_campaign;
  std::set<std::int64_t> recipients;
  for (const auto& event : changed) {
    if (event.was_automated == now_automated) continue;
    automated_by_campaign[event.campaign_id] += now_automated ? 1 : -1;
    recipients.insert(event.recipient_id);
  }
  for (const auto& [campaign_id, count] : automated_by_campaign) {
    repos.results.add_to_counters(campaign_id, CounterDelta{.automated_events = count});
  }
  for (const auto recipient_id : recipients) recompute_recipient(repos, recipient_id, now);
}

}  // namespace phishdrill::service
