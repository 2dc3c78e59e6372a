// RFC 3339 formatting of Unix times for the API ("2026-11-29T01:02:03Z").
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace phishdrill {

std::string format_rfc3339(std::int64_t unix_seconds);

}  // namespace phishdrill
