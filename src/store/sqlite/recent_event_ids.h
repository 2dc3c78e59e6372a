// RecentEventIds: where, by id, the events of the last minutes begin. The
// SQLite adapter appends events through one connection, so it sees every id
// it hands out; remembering the lowest id of each second lets an address
// look-up ("clicks from this address since `from`") scan only the tail of the
// event table by primary key instead of keeping an index that would cost
// every tracking hit. Event ids are never reused (AUTOINCREMENT), so a bound
// once right stays right. Events from before this process started are not
// seen: a look-up reaching back before the first event seen scans from the
// start. Thread-compatible (the store serialises its callers).
#pragma once

#include <cstdint>
#include <map>

namespace phishdrill::sqlite {

class RecentEventIds {
 public:
  // How far back bounds are kept, in seconds of event time.
  static constexpr std::int64_t kRetentionSeconds = 900;

  // Event `id` was appended with time `at`.
  void appended(std::int64_t id, std::int64_t at);
  // An id no greater than that of any event with time >= `from`; 0 when that
  // cannot be known (before the first event seen, or older than the retention).
  std::int64_t lower_bound(std::int64_t from) const;

 private:
  std::map<std::int64_t, std::int64_t> lowest_id_by_second_;
  std::int64_t first_seen_at_ = 0;
  std::int64_t last_id_ = 0;
  std::int64_t latest_at_ = 0;
};

}  // namespace phishdrill::sqlite
