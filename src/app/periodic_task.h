// PeriodicTask: runs `task` every `interval` on a thread of its own, first one
// interval after construction, until destroyed (the destructor wakes the
// thread at once and joins it; a task already running is finished first).
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <thread>

#include "core/mutex.h"

namespace phishdrill::app {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void run();

  const std::chrono::milliseconds interval_;
  const std::function<void()> task_;
  Mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ PD_GUARDED_BY(mutex_) = false;
  std::thread thread_;  // last: it starts once the rest is set
};

}  // namespace phishdrill::app
