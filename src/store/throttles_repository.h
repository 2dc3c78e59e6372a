// Port: sign-in throttle windows by key (core/throttle_window.h), kept in the
// store so that every node sharing it counts the same attempts. lock_window()
// returns the key's window (empty when it has none) and holds it until the
// transaction ends, so concurrent attempts on one key go one at a time.
// Keys are opaque text of at most a few hundred bytes. Used only inside a
// Store write transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/throttle_window.h"

namespace phishdrill {

class ThrottlesRepository {
 public:
  virtual ~ThrottlesRepository() = default;
  virtual ThrottleWindow lock_window(std::string_view key) = 0;
  virtual void save_window(std::string_view key, const ThrottleWindow& window) = 0;
  virtual void forget_window(std::string_view key) = 0;
  // Forgets every window neither locked at `now` nor started after
  // `started_before` (they count nothing any more); returns how many.
  virtual int forget_idle_windows(std::int64_t now, std::int64_t started_before) = 0;
};

}  // namespace phishdrill
