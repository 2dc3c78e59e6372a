#include "phish/event_writer.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::phish {

namespace {

EventWriter::Outcome outcome_of(const Result<std::vector<service::HitOutcome>>& outcomes,
                                std::size_t index) {
  if (!outcomes) return EventWriter::Outcome::kFailed;
  return (*outcomes)[index] == service::HitOutcome::kRecorded ? EventWriter::Outcome::kRecorded
                                                              : EventWriter::Outcome::kRejected;
}

}  // namespace

EventWriter::EventWriter(Store& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch), thread_([this] { run(); }) {}

EventWriter::~EventWriter() { stop(); }

void EventWriter::submit(service::Hit hit, Done done) {
  {
    MutexLock lock(mutex_);
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
    MutexLock lock(mutex_);
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
      MutexLock lock(mutex_);
      if (queue_.empty() && !stopping_) {
        idle_ = true;
        lock.wait(ready_, [&]() PD_REQUIRES(mutex_) { return stopping_ || !queue_.empty(); });
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
    std::vector<service::Hit> hits;
    hits.reserve(batch.size());
    for (auto& item : batch) hits.push_back(std::move(item.hit));
    const auto outcomes = service::record_hits(store_, hits);
    if (!outcomes) {
      spdlog::error("event=tracking_commit_failed hits={} message={}", batch.size(),
                    log_value(outcomes.error().message));
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcome_of(outcomes, i));
    batch.clear();
  }
}

}  // namespace phishdrill::phish
