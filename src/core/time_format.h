// RFC 3339 formatting of Unix times for the API ("2026-11-29T01:02:03Z").
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

std::string format_rfc3339(std::int64_t unix_seconds);

// Parses "2026-11-29T01:02:03Z" or with an offset ("…+02:00"), optional
// fractional seconds (ignored). nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// "Tuesday 1 December 2026" (UTC, English): dates people read in emails and
// on the training portal, unambiguous in every locale.
std::string format_long_date(std::int64_t unix_seconds);

}  // namespace phishdrill
