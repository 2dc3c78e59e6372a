// Campaign timeline buckets: the round bucket size a results timeline is cut
// into, chosen from the span of the campaign's activity so the chart has at
// most about 200 bars. Pure; thread-safe.
#pragma once

#include <cstdint>

namespace phishdrill {

// The smallest round bucket (1 min, 5 min … 1 week, else 30 days) that cuts
// `span` seconds into fewer than 200 buckets.
std::int64_t bucket_for_span(std::int64_t span);

}  // namespace phishdrill
