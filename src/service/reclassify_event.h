// An operator's verdict on one event overrides the classifier: the event
// becomes automated (with the operator named as the reason) or human again,
// the campaign's counters and the recipient's result follow, and so does the
// campaign's follow-up training (assigned as of `now` when the result now
// reaches it, withdrawn when it no longer does). Runs inside the caller's
// transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace phishdrill::service {

// False when the event is not one of the campaign's.
bool reclassify_event(Repositories& repos, std::int64_t campaign_id, std::int64_t event_id,
                      bool automated, const std::string& reason, std::int64_t now);

}  // namespace phishdrill::service
