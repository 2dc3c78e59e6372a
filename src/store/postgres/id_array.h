// id_array: ids as a PostgreSQL array literal ("{1,2,3}"), for one
// parameter that a statement reads with $n::bigint[] (ANY, unnest) instead
// of building SQL text per list. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace phishdrill::pg {

inline std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string text = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(ids[i]);
  }
  return text + "}";
}

}  // namespace phishdrill::pg
