// DatabaseHealth: whether this node reaches its database, probed with a small
// read every `interval` by a thread of its own (and by probe(), which tests
// call), so /healthz and /metrics answer from memory and never wait on the
// database. The first probe runs in the constructor. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "app/periodic_task.h"
#include "store/store.h"

namespace phishdrill::app {

class DatabaseHealth {
 public:
  DatabaseHealth(Store& store, std::chrono::milliseconds interval);
  DatabaseHealth(const DatabaseHealth&) = delete;
  DatabaseHealth& operator=(const DatabaseHealth&) = delete;

  // The last probe's answer.
  bool reachable() const { return reachable_.load(std::memory_order_relaxed); }
  // Probes now (the thread does so every interval).
  void probe();

 private:
  Store& store_;
  std::atomic<bool> reachable_{false};
  PeriodicTask probes_;  // last: it probes once the rest is set
};

}  // namespace phishdrill::app
