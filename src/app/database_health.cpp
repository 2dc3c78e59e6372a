#include "app/database_health.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::app {

// The thread's first probe is one interval away: the first runs here, so
// reachable() answers from the start.
DatabaseHealth::DatabaseHealth(Store& store, std::chrono::milliseconds interval)
    : store_(store), probes_(interval, [this] { probe(); }) {
  probe();
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

}  // namespace phishdrill::app
