// RidCache: recent rid lookups kept in memory for a few seconds, so a burst
// of hits on one message costs one database read. Entries expire quickly so a
// completed campaign stops answering within seconds. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/mutex.h"
#include "store/events_repository.h"

namespace phishdrill::phish {

class RidCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RidCache(std::chrono::seconds ttl = std::chrono::seconds(5),
                    std::size_t capacity = 200000)
      : ttl_(ttl), capacity_(capacity) {}

  // nullopt = not cached; a cached "unknown" is an engaged empty optional.
  std::optional<std::optional<RidInfo>> get(const std::string& rid, Clock::time_point now);
  void put(const std::string& rid, std::optional<RidInfo> info, Clock::time_point now);

 private:
  struct Entry {
    std::optional<RidInfo> info;
    Clock::time_point expires;
  };
  std::chrono::seconds ttl_;
  std::size_t capacity_;
  Mutex mutex_;  // guards entries_
  std::unordered_map<std::string, Entry> entries_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::phish
