#include "app/database_health.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::app {

DatabaseHealth::DatabaseHealth(Store& store, std::chrono::milliseconds interval)
    : store_(store), interval_(interval) {
  probe();
  thread_ = std::thread([this] { run(); });
}

DatabaseHealth::~DatabaseHealth() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DatabaseHealth::probe() {
  const auto answered = store_.read([](Repositories& repos) -> Result<void> {
    (void)repos.accounts.find_workspace(1);
    return {};
  });
  const bool was = reachable_.exchange(answered.has_value());
  if (was && !answered) {
    spdlog::error("event=database_unreachable message={}", log_value(answered.error().message));
  } else if (!was && answered) {
    spdlog::info("event=database_reachable");
  }
}

void DatabaseHealth::run() {
  for (;;) {
    {
      MutexLock lock(mutex_);
      if (lock.wait_for(wake_, interval_, [&]() PD_REQUIRES(mutex_) { return stopping_; })) return;
    }
    probe();
  }
}

}  // namespace phishdrill::app
