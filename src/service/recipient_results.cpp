#include "service/recipient_results.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/funnel.h"
#include "service/follow_up.h"

namespace phishdrill::service {

namespace {

// Recipients whose result changed, in the order they first changed.
class ChangedFunnels {
 public:
  void set(std::int64_t recipient_id, const Funnel& funnel) {
    const auto [slot, fresh] = index_.try_emplace(recipient_id, updates_.size());
    if (fresh) {
      updates_.push_back({recipient_id, funnel});
    } else {
      updates_[slot->second].funnel = funnel;
    }
  }
  const std::vector<FunnelUpdate>& updates() const { return updates_; }

 private:
  std::vector<FunnelUpdate> updates_;
  std::unordered_map<std::int64_t, std::size_t> index_;
};

struct RankChange {
  std::int64_t recipient_id = 0;
  std::int64_t campaign_id = 0;
  int rank = 0;
  std::int64_t at = 0;
};

std::vector<std::int64_t> distinct_recipients(std::span<const HumanStep> steps) {
  std::vector<std::int64_t> ids;
  ids.reserve(steps.size());
  for (const auto& step : steps) ids.push_back(step.recipient_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

void follow_rank_changes(Repositories& repos, const std::vector<RankChange>& changes) {
  std::unordered_map<std::int64_t, bool> follows_up;
  for (const auto& change : changes) {
    const auto [known, fresh] = follows_up.try_emplace(change.campaign_id, false);
    if (fresh) known->second = repos.training.campaign_has_follow_up(change.campaign_id);
    if (known->second) follow_up_result(repos, change.recipient_id, change.rank, change.at);
  }
}

}  // namespace

void advance_recipients(Repositories& repos, std::span<const HumanStep> steps) {
  if (steps.empty()) return;
  const auto ids = distinct_recipients(steps);
  auto funnels = repos.results.recipient_funnels(ids);
  ChangedFunnels changed;
  std::map<std::int64_t, CounterDelta> deltas;
  std::vector<RankChange> rank_changes;
  for (const auto& step : steps) {
    const auto found = funnels.find(step.recipient_id);
    if (found == funnels.end()) continue;
    auto& current = found->second;
    const Funnel after = advance(current.funnel, step.rank, step.report, step.at);
    if (after == current.funnel) continue;
    deltas[current.campaign_id] += counter_delta(current.funnel, after);
    if (after.rank != current.funnel.rank) {
      rank_changes.push_back({step.recipient_id, current.campaign_id, after.rank, step.at});
    }
    current.funnel = after;
    changed.set(step.recipient_id, after);
  }
  repos.results.set_recipient_funnels(changed.updates());
  for (const auto& [campaign_id, delta] : deltas) repos.results.add_to_counters(campaign_id, delta);
  follow_rank_changes(repos, rank_changes);
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
