// The one leased-queue worker behind campaign mail, training mail and webhook
// deliveries.
//
// A LeasedQueue<Item> is what one queue offers (one instance per worker
// thread, so it may keep per-thread state such as open transports): claim a
// batch under a lease, renew an item's lease, give an untried item back,
// handle an item (say what became of it: a DeliveryVerdict) and record that
// verdict. LeasedQueueWorker<Item> drives one: it claims a batch, renews the
// leases of the items still waiting in it every lease/3 while it works,
// hands each item to the queue and records the verdict, and on stop gives
// every unstarted claim back (its attempt not counted). A crash leaves the
// claims to expire, after which they are claimed again.
//
// LeasedQueueRunner runs N threads, each with its own WorkSource (one worker,
// or several taking turns), and backs off while idle (IdleBackoff) until
// wake() or stop(). WorkerLease: the Lease (core/lease.h) a handler holds on one item,
// to keep its lease alive through long waits and to notice a stop.
// Thread-safety: a worker and its queue belong to one thread; the runner's
// start()/stop()/wake() may be called from any thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "core/delivery_verdict.h"
#include "core/lease.h"
#include "core/mutex.h"

namespace phishdrill::jobs {

using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

// The lease a handler holds on one item (core/lease.h): renew() renews the
// item now through the queue; keep_alive() when renew_every has passed since
// the last renewal.
class WorkerLease final : public Lease {
 public:
  WorkerLease(std::function<void()> renew, const std::atomic<bool>& stopping,
              std::chrono::steady_clock::duration renew_every, SteadyNow now);
  void renew() override;
  void keep_alive() override;
  bool stopping() const override { return stopping_.load(); }

 private:
  std::function<void()> renew_;
  const std::atomic<bool>& stopping_;
  std::chrono::steady_clock::duration renew_every_;
  SteadyNow now_;
  std::chrono::steady_clock::time_point last_;
};

template <class Item>
class LeasedQueue {
 public:
  virtual ~LeasedQueue() = default;
  // Up to `limit` due items, each under a fresh lease (empty: nothing due, or
  // the claim failed and was logged).
  virtual std::vector<Item> claim(int limit) = 0;
  virtual void renew(const Item& item) = 0;
  // Gives an untried item back: due again at once, its attempt not counted.
  virtual void release(const Item& item) = 0;
  // Works on the item and says what became of it (kGiveBack: it was not
  // tried after all, e.g. the worker stopped while it waited).
  virtual DeliveryVerdict handle(const Item& item, Lease& lease) = 0;
  // Stores a verdict other than kGiveBack.
  virtual void record(const Item& item, const DeliveryVerdict& verdict) = 0;
};

// One thread's unit of work: true when it did something.
class WorkSource {
 public:
  virtual ~WorkSource() = default;
  virtual bool run_once() = 0;
};

inline std::chrono::steady_clock::time_point steady_now() {
  return std::chrono::steady_clock::now();
}

struct LeasedQueueSettings {
  int batch = 1;
  int lease_seconds = 60;
  SteadyNow now = steady_now;  // tests pass a fake
};

template <class Item>
class LeasedQueueWorker final : public WorkSource {
 public:
  LeasedQueueWorker(LeasedQueue<Item>& queue, const std::atomic<bool>& stopping,
                    LeasedQueueSettings settings)
      : queue_(queue), stopping_(stopping), settings_(std::move(settings)) {}

  // Claims one batch and works through it; false when nothing was due.
  bool run_once() override {
    auto batch = queue_.claim(settings_.batch);
    if (batch.empty()) return false;
    const auto renew_every = std::chrono::seconds(std::max(1, settings_.lease_seconds / 3));
    auto renewed = settings_.now();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (stopping_) {  // give the rest back untried, for the next start
        for (std::size_t j = i; j < batch.size(); ++j) queue_.release(batch[j]);
        break;
      }
      if (settings_.now() - renewed >= renew_every) {  // the batch outlives a third of its lease
        for (std::size_t j = i; j < batch.size(); ++j) queue_.renew(batch[j]);
        renewed = settings_.now();
      }
      const Item& item = batch[i];
      WorkerLease lease([&] { queue_.renew(item); }, stopping_, renew_every, settings_.now);
      const auto verdict = queue_.handle(item, lease);
      if (verdict.kind == DeliveryVerdict::Kind::kGiveBack) {
        queue_.release(item);
      } else {
        queue_.record(item, verdict);
      }
    }
    return true;
  }

 private:
  LeasedQueue<Item>& queue_;
  const std::atomic<bool>& stopping_;
  LeasedQueueSettings settings_;
};

// How long an idle thread sleeps: `first`, doubling on each idle round in a
// row up to `max`; work resets it. first == max is a fixed poll. Pure.
class IdleBackoff {
 public:
  IdleBackoff(std::chrono::milliseconds first, std::chrono::milliseconds max);
  std::chrono::milliseconds next();
  void reset() { current_ = first_; }

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
};

struct RunnerOptions {
  int threads = 1;
  std::chrono::milliseconds idle_first{500};
  std::chrono::milliseconds idle_max{500};
};

class LeasedQueueRunner {
 public:
  // Builds one thread's work source (called on that thread); it may read
  // stopping() to notice a stop.
  using SourceFactory = std::function<std::unique_ptr<WorkSource>(int index)>;

  LeasedQueueRunner(RunnerOptions options, SourceFactory factory);
  ~LeasedQueueRunner();
  LeasedQueueRunner(const LeasedQueueRunner&) = delete;
  LeasedQueueRunner& operator=(const LeasedQueueRunner&) = delete;

  void start();
  // Sets stopping(), wakes idle threads and joins them.
  void stop();
  // Tells idle threads to look for work now.
  void wake();
  const std::atomic<bool>& stopping() const { return stopping_; }

 private:
  void run(int index);
  std::uint64_t wake_generation();
  // Sleeps up to `duration` unless wake() was called since the generation
  // `seen` was read; false when stopping.
  bool sleep_unless_woken_since(std::uint64_t seen, std::chrono::milliseconds duration);

  RunnerOptions options_;
  SourceFactory factory_;
  std::atomic<bool> stopping_{false};
  Mutex mutex_;  // guards wake_generation_
  std::condition_variable wakeup_;
  std::uint64_t wake_generation_ PD_GUARDED_BY(mutex_) = 0;
  std::vector<std::jthread> threads_;
};

}  // namespace phishdrill::jobs
