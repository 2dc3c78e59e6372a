#include "core/send_slot.h"

#include <algorithm>

namespace phishdrill {

SendSlotRate send_slot_rate(int per_minute) {
  constexpr std::int64_t kMinuteUs = 60'000'000;
  const std::int64_t per = std::max(1, per_minute);
  const std::int64_t interval = std::max<std::int64_t>(1, kMinuteUs / per);
  // One second's worth, at least one message: (burst - 1) intervals ahead.
  const std::int64_t burst = std::max<std::int64_t>(1, per / 60);
  return {interval, (burst - 1) * interval};
}

SendSlotDecision take_send_slot(std::int64_t tat, std::int64_t now, SendSlotRate rate) {
  const std::int64_t from = std::max(tat, now);
  const std::int64_t ahead = from - now;
  if (ahead > rate.tolerance_us) return {false, tat, ahead - rate.tolerance_us};
  return {true, from + rate.interval_us, 0};
}

}  // namespace phishdrill
