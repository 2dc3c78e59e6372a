#include "service/reclassify_event.h"

#include "service/recipient_results.h"

namespace phishdrill::service {

bool reclassify_event(Repositories& repos, std::int64_t campaign_id, std::int64_t event_id,
                      bool automated, const std::string& reason, std::int64_t now) {
  const auto changed = repos.events.set_classification(campaign_id, event_id, automated, reason);
  if (!changed) return false;
  follow_changed_events(repos, {*changed}, automated, now);
  return true;
}

}  // namespace phishdrill::service
