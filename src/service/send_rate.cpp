#include "service/send_rate.h"

#include "core/send_slot.h"

namespace phishdrill::service {

Result<std::chrono::microseconds> SendRate::try_acquire(const SendingProfile& profile) {
  if (profile.rate_per_minute <= 0) return std::chrono::microseconds::zero();
  const auto rate = send_slot_rate(profile.rate_per_minute);
  SendSlotDecision decision;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    decision = repos.send_rates.take_send_slot(profile.id, rate);
    return {};
  }));
  return std::chrono::microseconds(decision.taken ? 0 : decision.wait_us);
}

}  // namespace phishdrill::service
