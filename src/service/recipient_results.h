// A recipient's result and its campaign's people counters, moved together,
// with the follow-up training that goes with a changed result. Shared by the
// hit-recording and re-classification use cases; runs inside the caller's
// transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "store/store.h"

namespace phishdrill::service {

// A human hit (already appended): its recipient reached `rank` (1 opened,
// 2 clicked, 3 submitted; 0 none) and/or reported, at `at`.
struct HumanStep {
  std::int64_t recipient_id = 0;
  std::int64_t at = 0;
  int rank = 0;
  bool report = false;
};

// Moves each step's recipient forward (never back), in order. For the lot:
// one read and one write of the recipients' results, each campaign's people
// counters moved once, then the follow-up training of every changed result
// (campaigns without follow-up training are asked once and skipped).
void advance_recipients(Repositories& repos, std::span<const HumanStep> steps);

// Recomputes the recipient's result from the human events that remain;
// `now` dates a follow-up assignment this causes.
void recompute_recipient(Repositories& repos, std::int64_t recipient_id, std::int64_t now);

// Events whose classification just changed: the campaigns' automated counts
// follow, and each recipient's result is recomputed (once per recipient).
void follow_changed_events(Repositories& repos, const std::vector<ChangedEvent>& changed,
                           bool now_automated, std::int64_t now);

}  // namespace phishdrill::service
