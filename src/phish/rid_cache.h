// RidCache: recent rid lookups kept in memory for a few seconds, so a burst
// of hits on one message costs one database read. An entry loaded before a
// campaign change was announced (store/change_notices.h: a campaign
// completed, cancelled or deleted on any node) is never answered; entries
// also expire quickly. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/mutex.h"
#include "store/change_notices.h"
#include "store/events_repository.h"

namespace phishdrill::phish {

class RidCache {
 public:
  using Clock = std::chrono::steady_clock;
  // `changes` null: entries only expire.
  explicit RidCache(const ChangeGenerations* changes = nullptr,
                    std::chrono::seconds ttl = std::chrono::seconds(5),
                    std::size_t capacity = 200000)
      : changes_(changes), ttl_(ttl), capacity_(capacity) {}

  // The campaigns' generation now: read it before loading what put() stores.
  std::uint64_t generation() const;
  // nullopt = not cached; a cached "unknown" is an engaged empty optional.
  std::optional<std::optional<RidInfo>> get(const std::string& rid, Clock::time_point now);
  // `generation`: generation() as it was before `info` was loaded.
  void put(const std::string& rid, std::optional<RidInfo> info, Clock::time_point now,
           std::uint64_t generation);

 private:
  struct Entry {
    std::optional<RidInfo> info;
    Clock::time_point expires;
    std::uint64_t generation = 0;
  };
  const ChangeGenerations* changes_;
  std::chrono::seconds ttl_;
  std::size_t capacity_;
  Mutex mutex_;  // guards entries_
  std::unordered_map<std::string, Entry> entries_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::phish
