#include "service/classify_event.h"

#include "service/audit.h"
#include "service/campaign_common.h"
#include "service/reclassify_event.h"

namespace phishdrill::service {

Result<Verdict> classify_event(Store& store, const Clock& clock, const Caller& caller,
                               std::int64_t campaign_id, std::int64_t event_id, bool automated) {
  Verdict verdict;
  verdict.reason = automated ? "marked automated by " + caller.actor.label : std::string();
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const Campaign c = PD_TRY(find_campaign(repos, caller, campaign_id));
    const auto now = clock.now();
    if (!reclassify_event(repos, c.id, event_id, automated, verdict.reason, now)) {
      return not_found();
    }
    audit(repos, caller, now, "event.reclassify", "event", event_id,
          {{"campaign_id", c.id}, {"automated", automated}});
    verdict.results = repos.results.result_counts(c.id);
    return {};
  }));
  return verdict;
}

}  // namespace phishdrill::service
