#include "core/timeline.h"

#include <initializer_list>

namespace phishdrill {

std::int64_t bucket_for_span(std::int64_t span) {
  for (const std::int64_t b : {60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400, 604800}) {
    if (span / b < 200) return b;
  }
  return 2592000;
}

}  // namespace phishdrill
