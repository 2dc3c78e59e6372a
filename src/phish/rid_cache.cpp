#include "phish/rid_cache.h"

namespace phishdrill::phish {

std::uint64_t RidCache::generation() const {
  return changes_ != nullptr ? changes_->current(ChangeTopic::kCampaigns) : 0;
}

std::optional<std::optional<RidInfo>> RidCache::get(const std::string& rid, Clock::time_point now) {
  const auto current = generation();
  MutexLock lock(mutex_);
  auto it = entries_.find(rid);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now || it->second.generation != current) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.info;
}

void RidCache::put(const std::string& rid, std::optional<RidInfo> info, Clock::time_point now,
                   std::uint64_t generation) {
  MutexLock lock(mutex_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[rid] = Entry{std::move(info), now + ttl_, generation};
}

}  // namespace phishdrill::phish
