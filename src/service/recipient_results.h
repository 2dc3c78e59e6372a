// A recipient's result and its campaign's people counters, moved together,
// with the follow-up training that goes with a changed result. Shared by the
// hit-recording and re-classification use cases; runs inside the caller's
// transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <vector>

#include "store/store.h"

namespace phishdrill::service {

// A human hit (already appended): moves the recipient forward (never back)
// to `rank` (1 opened, 2 clicked, 3 submitted; 0 none) or marks it reported.
void advance_recipient(Repositories& repos, const EventRecord& hit, int rank, bool report);

// Recomputes the recipient's result from the human events that remain;
// `now` dates a follow-up assignment this causes.
void recompute_recipient(Repositories& repos, std::int64_t recipient_id, std::int64_t now);

// Events whose classification just changed: the campaigns' automated counts
// follow, and each recipient's result is recomputed (once per recipient).
void follow_changed_events(Repositories& repos, const std::vector<ChangedEvent>& changed,
                           bool now_automated, std::int64_t now);

}  // namespace phishdrill::service
