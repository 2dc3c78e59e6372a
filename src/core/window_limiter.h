// WindowLimiter: at most `limit` events per key (e.g. a client address) in
// each fixed window of `window_seconds`; used where a burst of a few is
// normal but a steady stream is abuse (the portal's /start). In memory,
// bounded (idle keys are forgotten when the map grows large). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/mutex.h"

namespace phishdrill {

class WindowLimiter {
 public:
  WindowLimiter(int limit, int window_seconds) : limit_(limit), window_(window_seconds) {}

  // Counts an event for `key` at `now` (seconds); false when the key has
  // used up its window (the event is refused and not counted).
  bool allow(const std::string& key, std::int64_t now);

 private:
  static constexpr std::size_t kMaxKeys = 100000;
  struct Window {
    std::int64_t start = 0;
    int count = 0;
  };
  int limit_;
  int window_;
  Mutex mutex_;  // guards windows_
  std::unordered_map<std::string, Window> windows_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill
