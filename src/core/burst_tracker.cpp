#include "core/burst_tracker.h"

#include <set>

namespace phishdrill {

int BurstTracker::record(const std::string& ip, std::int64_t recipient_id, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (now - last_sweep_ > window_ * 4) {  // forget idle addresses now and then
    std::erase_if(hits_, [&](const auto& entry) {
      return entry.second.empty() || now - entry.second.back().first > window_;
    });
    last_sweep_ = now;
  }
  auto& hits = hits_[ip];
  while (!hits.empty() && now - hits.front().first >= window_) hits.pop_front();
  if (hits.size() < 4096) hits.emplace_back(now, recipient_id);
  std::set<std::int64_t> distinct;
  for (const auto& [at, id] : hits) distinct.insert(id);
  return static_cast<int>(distinct.size());
}

}  // namespace phishdrill
