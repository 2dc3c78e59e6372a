#include "core/time_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace phishdrill {
namespace {

constexpr std::int64_t kNewYear2024 = 1704067200;  // 2024-01-01T00:00:00Z

TEST(FormatRfc3339, KnownValues) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(kNewYear2024), "2024-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1709210096), "2024-02-29T12:34:56Z");
  EXPECT_EQ(format_rfc3339(2147483648), "2038-01-19T03:14:08Z");  // past 32-bit time_t
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
}

TEST(ParseRfc3339, KnownValues) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), std::optional<std::int64_t>(0));
  EXPECT_EQ(parse_rfc3339("2024-01-01T00:00:00Z"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2038-01-19T03:14:08Z"), 2147483648);
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59Z"), -1);
}

TEST(ParseRfc3339, RoundTrip) {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-86400}, kNewYear2024,
                         std::int64_t{951782400}, std::int64_t{1709210096},
                         std::int64_t{4107542399}, std::int64_t{2147483647}}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t) << format_rfc3339(t);
  }
  for (std::int64_t t = kNewYear2024; t < kNewYear2024 + 2 * 366 * 86400; t += 86400 + 3671) {
    ASSERT_EQ(parse_rfc3339(format_rfc3339(t)), t) << format_rfc3339(t);
  }
}

TEST(ParseRfc3339, Offsets) {
  EXPECT_EQ(parse_rfc3339("2024-01-01T02:00:00+02:00"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2023-12-31T18:30:00-05:30"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01T00:00:00+00:00"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01T00:00:00-00:00"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01T14:00:00+14:00"), kNewYear2024);
}

TEST(ParseRfc3339, FractionalSecondsIgnored) {
  EXPECT_EQ(parse_rfc3339("2024-01-01T00:00:00.123456Z"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01T00:00:00.999Z"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01T02:00:00.5+02:00"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2023-12-31T18:30:00.000000001-05:30"), kNewYear2024);
}

TEST(ParseRfc3339, LowerCaseAndSpaceSeparator) {
  EXPECT_EQ(parse_rfc3339("2024-01-01t00:00:00z"), kNewYear2024);
  EXPECT_EQ(parse_rfc3339("2024-01-01 00:00:00Z"), kNewYear2024);
}

TEST(ParseRfc3339, LeapYearFebruary29) {
  EXPECT_EQ(parse_rfc3339("2024-02-29T12:34:56Z"), 1709210096);
  EXPECT_EQ(parse_rfc3339("2000-02-29T00:00:00Z"), 951782400);
  EXPECT_EQ(parse_rfc3339("2024-03-01T00:00:00Z"), 1709210096 - 12 * 3600 - 34 * 60 - 56 + 86400);
  EXPECT_FALSE(parse_rfc3339("2024-02-30T00:00:00Z").has_value());
}

// BUG: parse_rfc3339 (src/core/time_format.cpp) accepts February 29 in a
// non-leap year — the day check uses a fixed table with 29 days for February —
// and silently returns March 1 (e.g. "2023-02-29T00:00:00Z" → 1677628800,
// which formats as 2023-03-01). Expected nullopt ("nullopt when malformed").
TEST(ParseRfc3339, RejectsFebruary29InNonLeapYears) {
  EXPECT_FALSE(parse_rfc3339("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2100-02-29T00:00:00Z").has_value());
}

TEST(ParseRfc3339, BadMonthOrDay) {
  EXPECT_FALSE(parse_rfc3339("2024-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-00-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-00T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-32T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-04-31T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-1-01T00:00:00Z").has_value());
}

TEST(ParseRfc3339, BadTimeOfDay) {
  EXPECT_FALSE(parse_rfc3339("2024-01-01T24:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:60:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:61Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T0:00:00Z").has_value());
}

TEST(ParseRfc3339, MissingOrBadZone) {
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00.123").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+0200").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+02").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+2:00").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+24:00").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+02:60").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00UTC").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00Z ").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00ZZ").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00:00:00+02:00x").has_value());
}

TEST(ParseRfc3339, Garbage) {
  EXPECT_FALSE(parse_rfc3339("").has_value());
  EXPECT_FALSE(parse_rfc3339("hello").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01").has_value());
  EXPECT_FALSE(parse_rfc3339("2024/01/01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01X00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2024-01-01T00-00-00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("abcd-01-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339(" 2024-01-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("1704067200").has_value());
}

}  // namespace
}  // namespace phishdrill
