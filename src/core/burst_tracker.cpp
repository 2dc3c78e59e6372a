#include "core/burst_tracker.h"

namespace phishdrill {

int BurstTracker::record(const std::string& ip, std::int64_t recipient_id, std::int64_t now) {
  MutexLock lock(mutex_);
  if (now - last_sweep_ > window_ * 4) {  // forget idle addresses now and then
    std::erase_if(addresses_, [&](const auto& entry) {
      return entry.second.hits.empty() || now - entry.second.hits.back().first > window_;
    });
    last_sweep_ = now;
  }
  auto& address = addresses_[ip];
  while (!address.hits.empty() && now - address.hits.front().first >= window_) {
    const auto id = address.hits.front().second;
    address.hits.pop_front();
    if (--address.per_recipient[id] == 0) address.per_recipient.erase(id);
  }
  // One entry per recipient and second is enough to count distinct recipients.
  if (address.hits.empty() || address.hits.back() != std::pair{now, recipient_id}) {
    address.hits.emplace_back(now, recipient_id);
    ++address.per_recipient[recipient_id];
  }
  return static_cast<int>(address.per_recipient.size());
}

}  // namespace phishdrill
