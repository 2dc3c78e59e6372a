// SendRate: a sending profile's rate limit as every mail thread of every node
// sharing the store sees it together: each message takes the profile's next
// send slot in the store (store/send_rates_repository.h, core/send_slot.h),
// so three nodes sending for one profile never exceed its rate together.
// The burst is one second's worth of messages, at least one. A profile
// without a limit costs nothing. Thread-safe.
#pragma once

#include <chrono>

#include "core/error.h"
#include "core/sending_profile.h"
#include "store/store.h"

namespace phishdrill::service {

class SendRate {
 public:
  explicit SendRate(Store& store) : store_(store) {}

  // Takes a slot for `profile` and returns zero, or returns how long to wait
  // before asking again. An error when the store cannot be asked.
  Result<std::chrono::microseconds> try_acquire(const SendingProfile& profile);

 private:
  Store& store_;
};

}  // namespace phishdrill::service
