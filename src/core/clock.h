// Clock: the only way domain code learns the time, so tests can fix it.
// Implementations must be thread-safe.
#pragma once

#include <cstdint>

namespace phishdrill {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC.
  virtual std::int64_t now() const = 0;
};

// Wall-clock time from the operating system.
class SystemClock final : public Clock {
 public:
  std::int64_t now() const override;
};

}  // namespace phishdrill
