// Keyset pagination shared by every list: items after (or, for newest-first
// lists, before) a given id, and whether another page follows.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace phishdrill {

struct PageRequest {
  std::int64_t after_id = 0;  // 0 = from the start
  int limit = 50;
};

// For a newest-first list: the id below which the page starts (after_id 0
// means from the newest, i.e. below every id). A plain "id < ?" lets the
// database seek on its index, which "(? = 0 OR id < ?)" does not.
inline std::int64_t newest_first_cursor(const PageRequest& page) {
  return page.after_id > 0 ? page.after_id : std::numeric_limits<std::int64_t>::max();
}

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;  // cursor for the next page, if any
};

}  // namespace phishdrill
