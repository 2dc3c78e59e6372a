#include "core/code_points.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(CodePoints, RoundTrip) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  const std::u32string points = to_code_points(text);
  EXPECT_EQ(points, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F600}));
  EXPECT_EQ(to_utf8(points), text);
}

TEST(CodePoints, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(to_code_points("a\xFF"
                           "b\xC0\xAF"),
            (std::u32string{U'a', 0xFFFD, U'b', 0xFFFD, 0xFFFD}));
  EXPECT_EQ(to_code_points("\xE2\x82"), (std::u32string{0xFFFD, 0xFFFD}));
  EXPECT_EQ(to_utf8(std::u32string{0xD800, 0x110000}), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8Characters, SplitsSequencesAndStrayBytes) {
  const auto characters = utf8_characters("a\xC3\xA9\xFF\xE2\x82\xAC");
  ASSERT_EQ(characters.size(), 4u);
  EXPECT_EQ(characters[0], "a");
  EXPECT_EQ(characters[1], "\xC3\xA9");
  EXPECT_EQ(characters[2], "\xFF");
  EXPECT_EQ(characters[3], "\xE2\x82\xAC");
  EXPECT_TRUE(utf8_characters("").empty());
}

}  // namespace
}  // namespace phishdrill
