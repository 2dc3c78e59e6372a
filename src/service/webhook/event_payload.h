// The JSON body a webhook receives for an event: what happened, to whom, when,
// human or automated and why, and the event's non-secret details. Part of the
// webhook room (service/webhook/: payload, signature, delivery). Pure.
#pragma once

#include <string>
#include <string_view>

#include "store/events_repository.h"

namespace phishdrill {

std::string event_payload(const EventRecord& event, std::string_view email);

}  // namespace phishdrill
