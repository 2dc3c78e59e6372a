// BurstTracker: how many distinct recipients one client address has hit in a
// sliding window — the signature of a scanner that opens every link of a
// campaign at once. In memory, bounded; thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/mutex.h"

namespace phishdrill {

class BurstTracker {
 public:
  explicit BurstTracker(int window_seconds) : window_(window_seconds) {}
  // Records a hit and returns the distinct recipients `ip` hit within the
  // window, this one included.
  int record(const std::string& ip, std::int64_t recipient_id, std::int64_t now);

 private:
  // Per address: hits in the window, oldest first, and how many of them each
  // recipient has (so the distinct count is the map's size).
  struct Address {
    std::deque<std::pair<std::int64_t, std::int64_t>> hits;  // (time, recipient)
    std::unordered_map<std::int64_t, int> per_recipient;
  };
  int window_;
  Mutex mutex_;  // guards addresses_ and last_sweep_
  std::unordered_map<std::string, Address> addresses_ PD_GUARDED_BY(mutex_);
  std::int64_t last_sweep_ PD_GUARDED_BY(mutex_) = 0;
};

}  // namespace phishdrill
