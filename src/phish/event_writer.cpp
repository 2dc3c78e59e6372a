#include "phish/event_writer.h"

#include <spdlog/spdlog.h>

#include <map>
#include <unordered_map>

#include "core/log_text.h"
#include "store/event_payload.h"

namespace phishdrill::phish {

EventWriter::EventWriter(Store& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch), thread_([this] { run(); }) {}

EventWriter::~EventWriter() { stop(); }

void EventWriter::submit(Hit hit, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      done(Outcome::kFailed);
      return;
    }
    queue_.push_back({std::move(hit), std::move(done)});
    if (!idle_) return;  // the writer will find it after its current commit
    idle_ = false;
  }
  ready_.notify_one();
}

void EventWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void EventWriter::run() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (queue_.empty() && !stopping_) {
        idle_ = true;
        ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        idle_ = false;
      }
      if (queue_.empty() && stopping_) return;
      if (queue_.size() <= max_batch_) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + static_cast<long>(max_batch_)));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(max_batch_));
      }
    }
    auto result = store_.write([&](Repositories& repos) -> Result<void> {
      // Per batch, not per hit: campaign status (the rid cache may be a few
      // seconds stale, the status decides), webhook interest, automated counts.
      std::unordered_map<std::int64_t, bool> active;
      std::map<std::pair<std::int64_t, std::string>, bool> wanted;
      std::unordered_map<std::int64_t, std::int64_t> automated;
      for (auto& item : batch) {
        const Hit& hit = item.hit;
        const auto [it, fresh] = active.try_emplace(hit.event.campaign_id, false);
        if (fresh) it->second = repos.events.campaign_active(hit.event.campaign_id);
        if (!it->second) {
          item.outcome = Outcome::kRejected;
          continue;
        }
        item.outcome = Outcome::kRecorded;
        repos.events.record_hit(hit.event, hit.rank, hit.report);
        if (hit.event.automated) ++automated[hit.event.campaign_id];
        if (hit.event.kind != "decoy") {
          const auto key = std::pair{hit.event.workspace_id, hit.event.kind};
          const auto [w, new_key] = wanted.try_emplace(key, false);
          if (new_key) w->second = repos.webhooks.wants(key.first, key.second);
          if (w->second) {
            repos.webhooks.enqueue(hit.event.workspace_id, hit.event.kind,
                                   event_payload(hit.event, hit.email), hit.event.at);
          }
        }
        if (hit.decoy_window_seconds > 0) {
          repos.events.mark_automated_between(
              hit.event.recipient_id, hit.event.at - hit.decoy_window_seconds,
              hit.event.at + hit.decoy_window_seconds, hit.event.ip, hit.event.user_agent,
              "the hidden decoy link of this message was followed nearby");
        }
        if (hit.flag_address_back_seconds > 0) {
          const auto from = hit.event.at - hit.flag_address_back_seconds;
          repos.events.flag_address_suspect_between(hit.event.ip, from, hit.event.at,
                                                    hit.event.suspect);
        }
      }
      for (const auto& [campaign_id, count] : automated) {
        repos.events.add_automated_events(campaign_id, count);
      }
      return {};
    });
    if (!result) {
      spdlog::error("event=tracking_commit_failed hits={} message={}", batch.size(),
                    log_value(result.error().message));
    }
    for (auto& item : batch) item.done(result ? item.outcome : Outcome::kFailed);
    batch.clear();
  }
}

}  // namespace phishdrill::phish
