#include "service/record_hits.h"

#include <map>
#include <unordered_map>
#include <utility>

#include "service/recipient_results.h"
#include "service/webhook/event_payload.h"

namespace phishdrill::service {
namespace {

constexpr const char* kDecoyReason = "the hidden decoy link of this message was followed nearby";

// Per batch, not per hit: campaign status (a rid cache may be a few seconds
// stale, the status decides), webhook interest, automated counts. Ordinary
// hits are recorded together (one append of their events, one read and write
// of their recipients' results); a decoy or flagging hit, which reads and
// re-marks the events before it, first lands everything pending, then alone.
class Batch {
 public:
  explicit Batch(Repositories& repos) : repos_(repos) {}

  HitOutcome record(const Hit& hit) {
    const auto [status, fresh] = active_.try_emplace(hit.event.campaign_id, false);
    if (fresh) status->second = repos_.events.campaign_active(hit.event.campaign_id);
    if (!status->second) return HitOutcome::kRejected;
    pending_.push_back(&hit);
    if (hit.decoy_window_seconds > 0 || hit.flag_address_back_seconds > 0) land_pending();
    return HitOutcome::kRecorded;
  }

  void finish() {
    land_pending();
    for (const auto& [campaign_id, count] : automated_) {
      repos_.results.add_to_counters(campaign_id, CounterDelta{.automated_events = count});
    }
  }

 private:
  void land_pending() {
    if (pending_.empty()) return;
    std::vector<EventRecord> events;
    std::vector<HumanStep> steps;
    events.reserve(pending_.size());
    for (const Hit* hit : pending_) {
      events.push_back(hit->event);
      const auto& e = hit->event;
      if (e.automated) {
        ++automated_[e.campaign_id];
      } else if (hit->rank > 0 || hit->report) {
        steps.push_back({e.recipient_id, e.at, hit->rank, hit->report});
      }
    }
    repos_.events.append_events(events);
    advance_recipients(repos_, steps);
    for (const Hit* hit : pending_) {
      notify_webhooks(*hit);
      if (hit->decoy_window_seconds > 0) mark_back_from_decoy(*hit);
      if (hit->flag_address_back_seconds > 0) {
        const auto& e = hit->event;
        repos_.events.flag_address_suspect_between(e.ip, e.at - hit->flag_address_back_seconds,
                                                   e.at, e.suspect);
      }
    }
    pending_.clear();
  }

  void notify_webhooks(const Hit& hit) {
    if (hit.event.kind == "decoy") return;
    const auto key = std::pair{hit.event.workspace_id, hit.event.kind};
    const auto [wanted, fresh] = wanted_.try_emplace(key, false);
    if (fresh) wanted->second = repos_.webhooks.wants(key.first, key.second);
    if (!wanted->second) return;
    repos_.webhooks.enqueue(hit.event.workspace_id, hit.event.kind,
                            event_payload(hit.event, hit.email), hit.event.at);
  }

  void mark_back_from_decoy(const Hit& hit) {
    const auto& e = hit.event;
    const auto changed = repos_.events.mark_automated_between(
        e.recipient_id, e.at - hit.decoy_window_seconds, e.at + hit.decoy_window_seconds, e.ip,
        e.user_agent, kDecoyReason);
    // Marking only lowers results, so the end of the span never dates an assignment.
    follow_changed_events(repos_, changed, true, e.at + hit.decoy_window_seconds);
  }

  Repositories& repos_;
  std::vector<const Hit*> pending_;  // recorded, not yet written
  std::unordered_map<std::int64_t, bool> active_;
  std::map<std::pair<std::int64_t, std::string>, bool> wanted_;
  std::unordered_map<std::int64_t, std::int64_t> automated_;
};

}  // namespace

std::vector<HitOutcome> record_hits_within(Repositories& repos, std::span<const Hit> hits) {
  std::vector<HitOutcome> outcomes;
  Batch batch(repos);
  for (const auto& hit : hits) outcomes.push_back(batch.record(hit));
  batch.finish();
  return outcomes;
}

Result<std::vector<HitOutcome>> record_hits(Store& store, std::span<const Hit> hits) {
  std::vector<HitOutcome> outcomes;
  auto committed = store.write([&](Repositories& repos) -> Result<void> {
    outcomes = record_hits_within(repos, hits);  // a retried callback starts over
    return {};
  });
  if (!committed) return std::unexpected(committed.error());
  return outcomes;
}

}  // namespace phishdrill::service
