#include "mail/forward_date.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

constexpr std::int64_t kMarch3At0914 = 1740993240;  // 2025-03-03T09:14:00Z

TEST(ForwardDateTest, ReadsWhatMailClientsWrite) {
  // Outlook (no zone: read at the given offset), Gmail, Apple Mail, Thunderbird.
  EXPECT_EQ(parse_forward_date("Monday, March 3, 2025 9:14 AM", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("Monday, March 3, 2025 9:14 AM", 3600), kMarch3At0914 - 3600);
  EXPECT_EQ(parse_forward_date("Mon, Mar 3, 2025 at 9:14 AM", -5 * 3600), kMarch3At0914 + 5 * 3600);
  EXPECT_EQ(parse_forward_date("3 March 2025 at 09:14:22 GMT+1", 0), kMarch3At0914 + 22 - 3600);
  EXPECT_EQ(parse_forward_date("March 3, 2025 at 1:14:00 AM PST", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("Mon, 3 Mar 2025 09:14:22 +0000 (UTC)", 7200), kMarch3At0914 + 22);
  EXPECT_EQ(parse_forward_date("Mon, 3 Mar 2025 10:14 +01:00", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("03 March 2025 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("Monday, March 3, 2025 9:14 PM", 0), kMarch3At0914 + 12 * 3600);
  EXPECT_EQ(parse_forward_date("Monday, March 3, 2025 12:14 AM", 0), kMarch3At0914 - 9 * 3600);
}

TEST(ForwardDateTest, ReadsOtherLanguagesAndNumericDates) {
  EXPECT_EQ(parse_forward_date("Montag, 3. März 2025 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("lundi 3 mars 2025 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("lunes, 3 de marzo de 2025 9:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("maandag 3 maart 2025 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("1er mars 2025 09:14", 0), kMarch3At0914 - 2 * 86400);
  EXPECT_EQ(parse_forward_date("2025-03-03 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("2025-03-03T09:14:00Z", 3600), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("03.03.2025 09:14", 0), kMarch3At0914);
  EXPECT_EQ(parse_forward_date("13/03/2025 09:14", 0), kMarch3At0914 + 10 * 86400);
  EXPECT_EQ(parse_forward_date("03/13/2025 09:14", 0), kMarch3At0914 + 10 * 86400);
}

TEST(ForwardDateTest, RefusesWhatIsNotAWholeOrPossibleDate) {
  EXPECT_FALSE(parse_forward_date("", 0));
  EXPECT_FALSE(parse_forward_date("yesterday", 0));
  EXPECT_FALSE(parse_forward_date("March 3, 2025", 0));     // no time
  EXPECT_FALSE(parse_forward_date("03/04/2025 09:14", 0));  // March or April?
  EXPECT_FALSE(parse_forward_date("Jui 3 2025 09:14", 0));  // juin or juillet?
  EXPECT_FALSE(parse_forward_date("February 30, 2025 09:14", 0));
  EXPECT_FALSE(parse_forward_date("March 3, 2025 25:14", 0));
  EXPECT_FALSE(parse_forward_date("March 3, 2025 13:14 PM", 0));
  EXPECT_FALSE(parse_forward_date("March 3, 1969 09:14", 0));
  EXPECT_TRUE(parse_forward_date("February 29, 2024 09:14", 0));
  // Only the first 200 bytes are read.
  EXPECT_FALSE(parse_forward_date(std::string(300, ' ') + "March 3, 2025 09:14", 0));
  EXPECT_FALSE(parse_forward_date(std::string(100'000, '9') + ":", 0));
}

}  // namespace
}  // namespace phishdrill
