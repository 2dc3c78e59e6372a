// Slugs (core/slug.h): letters and digits kept and ASCII lowercased, every
// other run (accented letters and emoji included) one hyphen, never a hyphen
// at either end, cut at `max`.
#include "core/slug.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(Slug, KeepsLettersAndDigitsAndLowercasesAscii) {
  EXPECT_EQ(slug_of("Hello World"), "hello-world");
  EXPECT_EQ(slug_of("ABC123xyz"), "abc123xyz");
  EXPECT_EQ(slug_of("2024 Q3 Report"), "2024-q3-report");
  EXPECT_EQ(slug_of("already-a-slug"), "already-a-slug");
}

TEST(Slug, EveryOtherRunBecomesOneHyphen) {
  EXPECT_EQ(slug_of("a---b"), "a-b");
  EXPECT_EQ(slug_of("Invoice_#2291 (final).html"), "invoice-2291-final-html");
  EXPECT_EQ(slug_of("tab\there\nnewline"), "tab-here-newline");
  EXPECT_EQ(slug_of("a / \\ \"quoted\" b"), "a-quoted-b");
}

TEST(Slug, AccentedLettersAndEmojiSeparateWords) {
  // UTF-8: é, ü, ñ and the emoji are bytes over 0x7F, none of them kept.
  EXPECT_EQ(slug_of("Caf\xC3\xA9 Cr\xC3\xA8me"), "caf-cr-me");
  EXPECT_EQ(slug_of("pi\xC3\xB1"
                    "ata"),
            "pi-ata");
  EXPECT_EQ(slug_of("\xC3\x9C"
                    "ber \xF0\x9F\x8E\xA3 phish"),
            "ber-phish");
  EXPECT_EQ(slug_of("\xC3\x89T\xC3\x89"), "t");
}

TEST(Slug, NeverStartsOrEndsWithAHyphen) {
  EXPECT_EQ(slug_of("  --Hello,,, world!!  "), "hello-world");
  EXPECT_EQ(slug_of("-a-"), "a");
  EXPECT_EQ(slug_of("\xC3\xA9t\xC3\xA9"), "t");
}

TEST(Slug, IsCutAtMaxWithoutATrailingHyphen) {
  EXPECT_EQ(slug_of("abcdefgh", 3), "abc");
  EXPECT_EQ(slug_of("abcd efgh", 5), "abcd") << "the cut falls right after a hyphen";
  EXPECT_EQ(slug_of("abcd efgh", 6), "abcd-e");
  EXPECT_EQ(slug_of("ab", 2), "ab");
  EXPECT_EQ(slug_of("abc", 0), "");
}

TEST(Slug, DefaultMaxIsSixtyFour) {
  EXPECT_EQ(slug_of(std::string(100, 'a')), std::string(64, 'a'));
  EXPECT_EQ(slug_of(std::string(64, 'B')), std::string(64, 'b'));
}

TEST(Slug, EmptyWhenNothingIsLeft) {
  EXPECT_EQ(slug_of(""), "");
  EXPECT_EQ(slug_of("!!! --- ???"), "");
  EXPECT_EQ(slug_of("\xC3\xA9\xC3\xA8\xF0\x9F\x8E\xA3"), "");
}

}  // namespace
}  // namespace phishdrill
