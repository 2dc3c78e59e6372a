// Keyset pagination shared by every list: items after (or, for newest-first
// lists, before) a given id, and whether another page follows.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace phishdrill {

struct PageRequest {
  std::int64_t after_id = 0;  // 0 = from the start
  int limit = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;  // cursor for the next page, if any
};

}  // namespace phishdrill
