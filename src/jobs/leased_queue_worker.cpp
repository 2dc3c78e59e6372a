#include "jobs/leased_queue_worker.h"

#include <spdlog/spdlog.h>

namespace phishdrill::jobs {

WorkerLease::WorkerLease(std::function<void()> renew, const std::atomic<bool>& stopping,
                         std::chrono::steady_clock::duration renew_every, SteadyNow now)
    : renew_(std::move(renew)),
      stopping_(stopping),
      renew_every_(renew_every),
      now_(std::move(now)),
      last_(now_()) {}

void WorkerLease::renew() {
  renew_();
  last_ = now_();
}

void WorkerLease::keep_alive() {
  if (now_() - last_ >= renew_every_) renew();
}

IdleBackoff::IdleBackoff(std::chrono::milliseconds first, std::chrono::milliseconds max)
    : first_(first), max_(std::max(first, max)), current_(first) {}

std::chrono::milliseconds IdleBackoff::next() {
  const auto wait = current_;
  current_ = std::min(current_ * 2, max_);
  return wait;
}

LeasedQueueRunner::LeasedQueueRunner(RunnerOptions options, SourceFactory factory)
    : options_(options), factory_(std::move(factory)) {}

LeasedQueueRunner::~LeasedQueueRunner() { stop(); }

void LeasedQueueRunner::start() {
  stopping_ = false;
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i] { run(i); });
  }
}

void LeasedQueueRunner::stop() {
  stopping_ = true;
  wake();
  threads_.clear();  // joins
}

void LeasedQueueRunner::wake() {
  {
    MutexLock lock(mutex_);
    ++wake_generation_;
  }
  wakeup_.notify_all();
}

std::uint64_t LeasedQueueRunner::wake_generation() {
  MutexLock lock(mutex_);
  return wake_generation_;
}

bool LeasedQueueRunner::sleep_unless_woken_since(std::uint64_t seen,
                                                 std::chrono::milliseconds duration) {
  MutexLock lock(mutex_);
  lock.wait_for(wakeup_, duration,
                [&]() PD_REQUIRES(mutex_) { return stopping_.load() || wake_generation_ != seen; });
  return !stopping_;
}

void LeasedQueueRunner::run(int index) {
  spdlog::debug("event=queue_worker_started index={}", index);
  auto source = factory_(index);
  IdleBackoff idle(options_.idle_first, options_.idle_max);
  while (!stopping_) {
    // Taken before looking for work: a wake() while the source looks (a
    // launch committed just after its claim found nothing) ends the sleep.
    const auto seen = wake_generation();
    if (source->run_once()) {
      idle.reset();
      continue;
    }
    if (!sleep_unless_woken_since(seen, idle.next())) break;
  }
}

}  // namespace phishdrill::jobs
