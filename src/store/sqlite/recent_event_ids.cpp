#include "store/sqlite/recent_event_ids.h"

#include <algorithm>

namespace phishdrill::sqlite {

void RecentEventIds::appended(std::int64_t id, std::int64_t at) {
  if (first_seen_at_ == 0) first_seen_at_ = at;
  auto [slot, fresh] = lowest_id_by_second_.try_emplace(at, id);
  if (!fresh) slot->second = std::min(slot->second, id);
  last_id_ = std::max(last_id_, id);
  latest_at_ = std::max(latest_at_, at);
  // Keep one second more than promised: lower_bound(from) needs the entry at
  // `from` itself.
  const auto expired = lowest_id_by_second_.lower_bound(latest_at_ - kRetentionSeconds - 1);
  lowest_id_by_second_.erase(lowest_id_by_second_.begin(), expired);
}

std::int64_t RecentEventIds::lower_bound(std::int64_t from) const {
  // Events of an earlier run may have any time up to this run's first event.
  if (first_seen_at_ == 0 || from <= first_seen_at_) return 0;
  if (from < latest_at_ - kRetentionSeconds) return 0;
  std::int64_t lowest = last_id_ + 1;  // nothing seen since `from`: only later ids can match
  for (auto it = lowest_id_by_second_.lower_bound(from); it != lowest_id_by_second_.end(); ++it) {
    lowest = std::min(lowest, it->second);
  }
  return lowest;
}

}  // namespace phishdrill::sqlite
