#include "phish/event_writer.h"

#include <spdlog/spdlog.h>

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

std::uint64_t EventWriter::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void EventWriter::run() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
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
      for (auto& item : batch) {
        const Hit& hit = item.hit;
        item.outcome = Outcome::kRecorded;
        if (!repos.campaigns.record_hit(hit.event, hit.rank, hit.report)) {
          item.outcome = Outcome::kRejected;
          continue;
        }
        if (hit.event.kind != "decoy") {
          repos.webhooks.enqueue(hit.event.workspace_id, hit.event.kind,
                                 event_payload(hit.event, hit.email), hit.event.at);
        }
        if (hit.decoy_window_seconds > 0) {
          repos.campaigns.mark_automated_between(
              hit.event.recipient_id, hit.event.at - hit.decoy_window_seconds,
              hit.event.at + hit.decoy_window_seconds, hit.event.ip, hit.event.user_agent,
              "the hidden decoy link of this message was followed nearby");
        }
        if (hit.mark_address_back_seconds > 0) {
          repos.campaigns.mark_address_automated_between(
              hit.event.ip, hit.event.at - hit.mark_address_back_seconds, hit.event.at,
              "a scanner was detected behind this address: " + hit.event.reason);
        }
      }
      return {};
    });
    if (!result) {
      spdlog::error("event=tracking_commit_failed hits={} message={}", batch.size(),
                    result.error().message);
    }
    {
      std::lock_guard lock(mutex_);
      ++commits_;
    }
    for (auto& item : batch) item.done(result ? item.outcome : Outcome::kFailed);
    batch.clear();
  }
}

}  // namespace phishdrill::phish
