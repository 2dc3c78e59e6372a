// Recording tracking hits: the use case behind every pixel, click, form
// submission, report and decoy. A batch of hits is recorded in one
// transaction (the phish server's event writer groups them), with one
// statement per kind of write for the lot where the store allows (events
// appended together, results read and written together, each campaign's
// counters moved once), so a networked database costs a few round trips per
// batch rather than several per hit: each hit on an
// active campaign is appended; a human one moves its recipient forward, with
// the people counters and follow-up training; webhooks that want its kind get
// a delivery; a decoy hit marks the recipient's nearby hits from the same
// address and browser automated; a click that crossed an address threshold
// flags that address's recent clicks suspect. A hit on a campaign that is no
// longer active is rejected and leaves no trace. Thread-safe (the store
// serialises what it must).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace phishdrill::service {

struct Hit {
  EventRecord event;
  std::string email;  // the recipient's, for webhook payloads
  int rank = 0;       // funnel step a human hit reaches (0 none)
  bool report = false;
  // > 0 for a decoy hit: the recipient's human hits within this many seconds
  // around it, from the same address and browser, are re-classified automated.
  int decoy_window_seconds = 0;
  // > 0 when this click crossed a burst or sweep threshold: that address's
  // human clicks in the preceding seconds are flagged suspect (still counted).
  int flag_address_back_seconds = 0;
};

enum class HitOutcome {
  kRecorded,  // durable once the call returns
  kRejected,  // the campaign is no longer active: nothing recorded
};

// One outcome per hit, in order; an error when the transaction failed
// (nothing of the batch was recorded).
Result<std::vector<HitOutcome>> record_hits(Store& store, std::span<const Hit> hits);

// The same, inside the caller's transaction (a report recorded with the
// mailbox message it came from).
std::vector<HitOutcome> record_hits_within(Repositories& repos, std::span<const Hit> hits);

}  // namespace phishdrill::service
