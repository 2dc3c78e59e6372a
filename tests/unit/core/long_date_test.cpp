#include <gtest/gtest.h>

#include <cstdint>

#include "core/time_format.h"

namespace phishdrill {
namespace {

TEST(FormatLongDate, KnownDates) {
  EXPECT_EQ(format_long_date(0), "Thursday 1 January 1970");
  EXPECT_EQ(format_long_date(1796083200), "Tuesday 1 December 2026");
  EXPECT_EQ(format_long_date(2147483648), "Tuesday 19 January 2038");  // past 32-bit time_t
}

TEST(FormatLongDate, LeapDays) {
  EXPECT_EQ(format_long_date(1709210096), "Thursday 29 February 2024");
  EXPECT_EQ(format_long_date(951782400), "Tuesday 29 February 2000");
  EXPECT_EQ(format_long_date(1709210096 + 86400), "Friday 1 March 2024");
}

TEST(FormatLongDate, YearBoundaryIsUtc) {
  EXPECT_EQ(format_long_date(1704067199), "Sunday 31 December 2023");
  EXPECT_EQ(format_long_date(1704067200), "Monday 1 January 2024");
  // The last second of a day and the first of the next.
  EXPECT_EQ(format_long_date(1796083200 + 86399), "Tuesday 1 December 2026");
  EXPECT_EQ(format_long_date(1796083200 + 86400), "Wednesday 2 December 2026");
}

TEST(FormatLongDate, EveryWeekdayAndMonthName) {
  const std::int64_t monday = 1704067200;  // Monday 1 January 2024
  const char* days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                        "Friday", "Saturday", "Sunday"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_TRUE(format_long_date(monday + i * 86400).starts_with(days[i])) << i;
  }
  // The 15th of each month of 2024.
  const std::int64_t firsts[] = {1704067200, 1706745600, 1709251200, 1711929600,
                                 1714521600, 1717200000, 1719792000, 1722470400,
                                 1725148800, 1727740800, 1730419200, 1733011200};
  const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                          "July",    "August",   "September", "October", "November", "December"};
  for (int m = 0; m < 12; ++m) {
    const std::string s = format_long_date(firsts[m] + 14 * 86400);
    EXPECT_NE(s.find(std::string(" 15 ") + months[m] + " 2024"), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace phishdrill
