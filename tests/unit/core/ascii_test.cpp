#include "core/ascii.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(AsciiCase, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lowercase("Content-TYPE: Text/HTML"), "content-type: text/html");
  // UTF-8 bytes pass through unchanged, whatever the C locale says about them.
  EXPECT_EQ(ascii_lowercase("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_EQ(ascii_lower('@'), '@');
}

TEST(AsciiCase, ComparesIgnoringCase) {
  EXPECT_TRUE(ascii_iequals("Content-Length", "content-length"));
  EXPECT_TRUE(ascii_iequals("", ""));
  EXPECT_FALSE(ascii_iequals("abc", "abcd"));
  EXPECT_FALSE(ascii_iequals("abc", "abd"));
  EXPECT_FALSE(ascii_iequals("\xC3\xA9", "\xC3\x89"));  // é and É differ: not ASCII
}

TEST(AsciiCase, StartsWithIgnoringCaseOnBothSides) {
  EXPECT_TRUE(ascii_istarts_with("JavaScript:alert(1)", "javascript:"));
  EXPECT_TRUE(ascii_istarts_with("mailto:x", "MAILTO:"));
  EXPECT_TRUE(ascii_istarts_with("anything", ""));
  EXPECT_FALSE(ascii_istarts_with("tel", "tel:"));
}

TEST(AsciiCase, FindsFirstAndLastOccurrence) {
  const std::string html = "<BODY>a</Body><body>b</BODY>";
  EXPECT_EQ(ascii_ifind(html, "</body>"), 7U);
  EXPECT_EQ(ascii_irfind(html, "</body>"), 21U);
  EXPECT_EQ(ascii_ifind(html, "</html>"), std::string::npos);
  EXPECT_EQ(ascii_irfind(html, "</html>"), std::string::npos);
  EXPECT_EQ(ascii_ifind("", "x"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill
