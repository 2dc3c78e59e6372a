#include "core/percent_encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace phishdrill {
namespace {

using namespace std::string_literals;

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(percent_decode("https%3A%2f%2Fexample.org%2F"), "https://example.org/");
  EXPECT_EQ(percent_decode("a%20b+c"), "a b+c");
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("%2B", true), "+");  // an encoded plus stays a plus
  EXPECT_EQ(percent_decode(""), "");
}

TEST(PercentDecode, KeepsMalformedEscapes) {
  EXPECT_EQ(percent_decode("%"), "%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%%41"), "%A");
}

TEST(PercentDecode, YieldsAnyBytes) { EXPECT_EQ(percent_decode("%00%FF"), "\0\xFF"s); }

TEST(EscapeUnsafeUrlBytes, EscapesWhatIsNotSafeText) {
  EXPECT_EQ(escape_unsafe_url_bytes("a\xFF"
                                    "b"),
            "a%FFb");
  EXPECT_EQ(escape_unsafe_url_bytes("\r\n\t\x7F"), "%0D%0A%09%7F");
  EXPECT_EQ(escape_unsafe_url_bytes("\0"s), "%00");
  EXPECT_EQ(escape_unsafe_url_bytes("\xC0\xAF"), "%C0%AF");         // overlong '/'
  EXPECT_EQ(escape_unsafe_url_bytes("\xED\xA0\x80"), "%ED%A0%80");  // a surrogate
  EXPECT_EQ(escape_unsafe_url_bytes("\xE2\x82"), "%E2%82");         // cut short
}

TEST(EscapeUnsafeUrlBytes, KeepsTextAsIs) {
  EXPECT_EQ(escape_unsafe_url_bytes("caf\xC3\xA9 \xF0\x9F\x98\x80 %41"),
            "caf\xC3\xA9 \xF0\x9F\x98\x80 %41");
}

TEST(PercentDecodeText, IsAlwaysValidSingleLineUtf8) {
  EXPECT_EQ(percent_decode_text("x%0D%0Ay%C3%A9%FF"), "x%0D%0Ay\xC3\xA9%FF");
  std::string hostile;
  for (int i = 0; i < 256; ++i) {
    hostile += '%';
    hostile += "0123456789ABCDEF"[i / 16];
    hostile += "0123456789ABCDEF"[i % 16];
  }
  const std::string decoded = percent_decode_text(hostile);
  EXPECT_TRUE(is_valid_utf8(decoded));
  EXPECT_FALSE(has_control_chars(decoded));
}

}  // namespace
}  // namespace phishdrill
