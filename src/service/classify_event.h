// ClassifyEvent: an operator's verdict on one event of the caller's campaign
// overrides the classifier (service/reclassify_event.h: the event, the
// recipient's result, the people counters and the follow-up training move
// together). Contract: the campaign is the caller's and the event one of its
// own (kNotFound otherwise); an automated verdict names the operator as the
// reason, a human one clears it. Audited in the same transaction.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

struct Verdict {
  std::string reason;    // as stored on the event
  ResultCounts results;  // the campaign's human results afterwards
};

Result<Verdict> classify_event(Store& store, const Clock& clock, const Caller& caller,
                               std::int64_t campaign_id, std::int64_t event_id, bool automated);

}  // namespace phishdrill::service
