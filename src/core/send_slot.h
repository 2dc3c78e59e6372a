// Send slots: a sending profile's rate limit as one number that a database
// row can hold, so every node sharing the store enforces it together (the
// generic cell rate algorithm). The row keeps the profile's theoretical
// arrival time `tat`: the moment its rate would next be idle. A message may
// go at `now` when tat - now is within the burst tolerance; taking the slot
// moves tat on by one interval. The burst is one second's worth of
// messages, at least one — the same as core/rate_limiter.h. Times are
// microseconds on any one clock.
#pragma once

#include <cstdint>

namespace phishdrill {

struct SendSlotRate {
  std::int64_t interval_us = 0;   // between two messages at the steady rate
  std::int64_t tolerance_us = 0;  // how far tat may run ahead of now (the burst)
};

// The slot rate of `per_minute` messages a minute (> 0).
SendSlotRate send_slot_rate(int per_minute);

struct SendSlotDecision {
  bool taken = false;
  std::int64_t tat = 0;      // the row's new value (unchanged when not taken)
  std::int64_t wait_us = 0;  // when not taken: how long until a slot frees (> 0)
};

// Takes a slot at `now` from a profile whose row holds `tat` (0: never sent).
SendSlotDecision take_send_slot(std::int64_t tat, std::int64_t now, SendSlotRate rate);

}  // namespace phishdrill
