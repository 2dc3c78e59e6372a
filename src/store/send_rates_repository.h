// Port: each sending profile's send slots (core/send_slot.h), kept in the
// store so that a profile's rate holds across every mail thread of every
// node sharing it. take_send_slot() decides on the store's own clock (the
// database server's on PostgreSQL, so the nodes' clocks need not agree) and
// holds the profile's row until the transaction ends, so concurrent takers
// go one at a time. A deleted profile's row is left behind (a few bytes).
// Used only inside a Store write transaction.
#pragma once

#include <cstdint>

#include "core/send_slot.h"

namespace phishdrill {

class SendRatesRepository {
 public:
  virtual ~SendRatesRepository() = default;
  virtual SendSlotDecision take_send_slot(std::int64_t profile_id, SendSlotRate rate) = 0;
};

}  // namespace phishdrill
