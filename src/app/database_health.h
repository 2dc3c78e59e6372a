// DatabaseHealth: whether this node reaches its database, probed with a small
// read every `interval` by a thread of its own (and by probe(), which tests
// call), so /healthz and /metrics answer from memory and never wait on the
// database. The first probe runs in the constructor. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "core/mutex.h"
#include "store/store.h"

namespace phishdrill::app {

class DatabaseHealth {
 public:
  DatabaseHealth(Store& store, std::chrono::milliseconds interval);
  ~DatabaseHealth();
  DatabaseHealth(const DatabaseHealth&) = delete;
  DatabaseHealth& operator=(const DatabaseHealth&) = delete;

  // The last probe's answer.
  bool reachable() const { return reachable_.load(std::memory_order_relaxed); }
  // Probes now (the thread does so every interval).
  void probe();

 private:
  void run();

  Store& store_;
  std::chrono::milliseconds interval_;
  std::atomic<bool> reachable_{false};
  Mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ PD_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace phishdrill::app
