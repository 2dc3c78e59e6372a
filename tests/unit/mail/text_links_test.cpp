#include "mail/text_links.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(TextLinksTest, BareUrlsWithoutTrailingPunctuation) {
  const TextLinks found = find_text_links(
      "See https://a.example/x. Or (http://b.example/y), www.c.example/z! and "
      "https://en.wikipedia.example/wiki/Foo_(bar).",
      10);
  ASSERT_EQ(found.links.size(), 4u);
  EXPECT_EQ(found.links[0].href, "https://a.example/x");
  EXPECT_EQ(found.links[1].href, "http://b.example/y");
  EXPECT_EQ(found.links[2].href, "www.c.example/z");
  EXPECT_EQ(found.links[3].href, "https://en.wikipedia.example/wiki/Foo_(bar)");
  for (const ReportedLink& link : found.links) {
    EXPECT_EQ(link.text, "");
    EXPECT_FALSE(link.image);
  }
  EXPECT_FALSE(found.truncated);
}

TEST(TextLinksTest, OutlookFormTakesTheShownTextBeforeTheAngleBrackets) {
  const TextLinks found = find_text_links(
      "Dear user. Please verify your account here<https://evil.example/v> today.\n"
      "https://www.bank.example <https://evil.example/b>\n"
      "Mail us<mailto:help@evil.example>\n"
      "<https://evil.example/alone>",
      10);
  ASSERT_EQ(found.links.size(), 4u);
  EXPECT_EQ(found.links[0].href, "https://evil.example/v");
  EXPECT_EQ(found.links[0].text, "Please verify your account here");
  // The URL shown is the text, not a second link.
  EXPECT_EQ(found.links[1].href, "https://evil.example/b");
  EXPECT_EQ(found.links[1].text, "https://www.bank.example");
  EXPECT_EQ(found.links[2].href, "mailto:help@evil.example");
  EXPECT_EQ(found.links[2].text, "Mail us");
  EXPECT_EQ(found.links[3].href, "https://evil.example/alone");
  EXPECT_EQ(found.links[3].text, "");
}

TEST(TextLinksTest, ShownTextIsAtMostTheLastFewWords) {
  const TextLinks found =
      find_text_links("one two three four five six seven eight nine ten<https://x.example/>", 10);
  ASSERT_EQ(found.links.size(), 1u);
  EXPECT_EQ(found.links[0].text, "three four five six seven eight nine ten");
}

TEST(TextLinksTest, NotLinks) {
  EXPECT_TRUE(find_text_links("http:// and https:// alone", 10).links.empty());
  EXPECT_TRUE(find_text_links("mailto:x@y.example bare", 10).links.empty());
  EXPECT_TRUE(find_text_links("xhttps://glued.example", 10).links.empty());
  EXPECT_TRUE(find_text_links("ada@www.example.org", 10).links.empty());
  EXPECT_TRUE(find_text_links("", 10).links.empty());
}

TEST(TextLinksTest, UnclosedAngleBracketReadsAsABareUrl) {
  const TextLinks found = find_text_links("click<https://evil.example/x and more", 10);
  ASSERT_EQ(found.links.size(), 1u);
  EXPECT_EQ(found.links[0].href, "https://evil.example/x");
}

TEST(TextLinksTest, LimitsCountAndLength) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "https://x.example/" + std::to_string(i) + " ";
  const TextLinks found = find_text_links(text, 20);
  EXPECT_EQ(found.links.size(), 20u);
  EXPECT_TRUE(found.truncated);
  EXPECT_EQ(found.links.back().href, "https://x.example/19");

  const TextLinks exact = find_text_links("https://x.example/1 https://x.example/2", 2);
  EXPECT_EQ(exact.links.size(), 2u);
  EXPECT_FALSE(exact.truncated);

  const std::string huge = "https://x.example/" + std::string(20'000, 'a');
  const TextLinks cut = find_text_links(huge + " " + std::string(2000, 'w') + "<" + huge + ">", 10);
  ASSERT_EQ(cut.links.size(), 2u);
  EXPECT_EQ(cut.links[0].href.size(), kMaxLinkHrefBytes);
  EXPECT_LE(cut.links[1].text.size(), kMaxLinkTextBytes);
}

TEST(TextLinksTest, CutsOnCharacterBoundaries) {
  std::string href = "https://x.example/";
  while (href.size() < kMaxLinkHrefBytes + 10) href += "\xc3\xa4";  // ä
  const TextLinks found = find_text_links(href, 1);
  ASSERT_EQ(found.links.size(), 1u);
  EXPECT_LE(found.links[0].href.size(), kMaxLinkHrefBytes);
  EXPECT_EQ(found.links[0].href.back(), '\xa4');
}

}  // namespace
}  // namespace phishdrill
