#include "app/periodic_task.h"

#include <utility>

namespace phishdrill::app {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task)
    : interval_(interval), task_(std::move(task)), thread_([this] { run(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::run() {
  for (;;) {
    {
      MutexLock lock(mutex_);
      if (lock.wait_for(wake_, interval_, [&]() PD_REQUIRES(mutex_) { return stopping_; })) return;
    }
    task_();
  }
}

}  // namespace phishdrill::app
