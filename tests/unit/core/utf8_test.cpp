#include "core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

using namespace std::string_literals;

TEST(IsValidUtf8, AcceptsAsciiAndEmpty) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello, world"));
  EXPECT_TRUE(is_valid_utf8("a\0b"s));  // NUL is valid UTF-8 (control chars are checked separately)
}

TEST(IsValidUtf8, AcceptsMultiByteSequences) {
  EXPECT_TRUE(is_valid_utf8("Jos\xC3\xA9"));       // é, 2 bytes
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));      // €, 3 bytes
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // 😀, 4 bytes
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080, smallest 2-byte
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800, smallest 3-byte
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above surrogates
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000, smallest 4-byte
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the maximum
  EXPECT_TRUE(
      is_valid_utf8("\xEF\xBB\xBF"
                    "Email,Name"));  // BOM
}

TEST(IsValidUtf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // '/' as 2 bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // U+007F as 2 bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' as 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF as 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' as 4 bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF as 4 bytes
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // "modified UTF-8" NUL
}

TEST(IsValidUtf8, RejectsSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 surrogate pair
}

TEST(IsValidUtf8, RejectsCodePointsAboveMax) {
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // old 5-byte form
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(IsValidUtf8, RejectsTruncatedSequences) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("abc\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  EXPECT_FALSE(
      is_valid_utf8("\xE2\x82"
                    "abc"));  // continuation replaced by ASCII
  EXPECT_FALSE(
      is_valid_utf8("\xC3"
                    "A"));
}

TEST(IsValidUtf8, RejectsLoneContinuationBytes) {
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("abc\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xC3\xA9\xA9"));  // one continuation too many
}

TEST(IsValidUtf8, Latin1IsRejected) {
  EXPECT_FALSE(
      is_valid_utf8("Jos\xE9 Garc\xED"
                    "a"));  // what Excel's "CSV" (not UTF-8) writes
}

TEST(IsValidUtf8, ErrorsAfterLongAsciiRunAreFound) {
  // Exercises the 8-bytes-at-a-time path on both sides of the bad byte.
  std::string text(1000, 'a');
  EXPECT_TRUE(is_valid_utf8(text));
  for (std::size_t at : {0u, 7u, 8u, 9u, 500u, 999u}) {
    std::string bad = text;
    bad[at] = '\xFF';
    EXPECT_FALSE(is_valid_utf8(bad)) << "bad byte at " << at;
  }
  std::string mixed = text + "\xC3\xA9" + text + "\xF0\x9F\x98\x80" + text;
  EXPECT_TRUE(is_valid_utf8(mixed));
}

TEST(Utf8Prefix, NeverEndsInsideACharacter) {
  EXPECT_EQ(utf8_prefix("short", 64), "short");
  EXPECT_EQ(utf8_prefix("abc", 0), "");
  // é is two bytes, 匋 three, 😀 four: a cut inside any of them backs off to its start.
  EXPECT_EQ(utf8_prefix("ab\xC3\xA9", 3), "ab");
  EXPECT_EQ(utf8_prefix("ab\xC3\xA9", 4), "ab\xC3\xA9");
  EXPECT_EQ(utf8_prefix("a\xE5\x8C\x8Bz", 2), "a");
  EXPECT_EQ(utf8_prefix("a\xE5\x8C\x8Bz", 3), "a");
  EXPECT_EQ(utf8_prefix("a\xE5\x8C\x8Bz", 4), "a\xE5\x8C\x8B");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80!", 3), "");
  const std::string key = "template" + std::string(55, 'V') + "\xE5\x8C\x8Bte";
  EXPECT_TRUE(is_valid_utf8(utf8_prefix(key, 64)));
}

TEST(ValidUtf8, ReplacesOnlyTheBytesThatAreNotCharacters) {
  EXPECT_EQ(valid_utf8("Jos\xC3\xA9"), "Jos\xC3\xA9");
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(valid_utf8("cut \xE5\x8C"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_TRUE(is_valid_utf8(valid_utf8("\x80\xC0\xAF\xF5 ok \xF0\x9F\x98\x80")));
}

TEST(HasControlChars, DetectsC0AndDel) {
  EXPECT_FALSE(has_control_chars(""));
  EXPECT_FALSE(has_control_chars("Alice O'Brien"));
  EXPECT_FALSE(has_control_chars("tab\tis allowed"));
  EXPECT_FALSE(has_control_chars("Jos\xC3\xA9"));
  EXPECT_TRUE(has_control_chars("line\nbreak"));
  EXPECT_TRUE(has_control_chars("carriage\rreturn"));
  EXPECT_TRUE(has_control_chars("nul\0byte"s));
  EXPECT_TRUE(has_control_chars("\x1B[31mred"));
  EXPECT_TRUE(has_control_chars("del\x7F"));
  EXPECT_TRUE(has_control_chars("\x1F"));
  EXPECT_FALSE(has_control_chars(" ~"));  // 0x20 and 0x7E are printable
}

}  // namespace
}  // namespace phishdrill
