#include "mail/html_reading.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace phishdrill {
namespace {

TEST(HtmlReadingTest, TextAndLinksWithTheirShownTextAndOffsets) {
  const HtmlReading reading = read_html(
      "<html><head><title>T</title><style>p{}</style></head><body>"
      "<p>Hello <b>there</b>,</p>"
      "<div>Click <a href=' https://evil.example/a?x=1&amp;y=2 '><span>here</span>\n  now</a>"
      "<br>next<img src=\"https://t.example/p.gif\"></div>"
      "<a name=\"top\">anchor</a><a href=\"\">empty</a>"
      "<script>document.write('<a href=x>')</script>"
      "<pre>  keep\n  this</pre><!-- <a href=\"https://in-comment.example\"> -->"
      "</body></html>",
      10);
  EXPECT_TRUE(reading.parsed);
  EXPECT_EQ(reading.text, "Hello there,\nClick here now\nnext\nanchorempty\n  keep\n  this\n");
  ASSERT_EQ(reading.links.size(), 2u);
  EXPECT_EQ(reading.links[0].link.href, "https://evil.example/a?x=1&y=2");
  EXPECT_EQ(reading.links[0].link.text, "here now");
  EXPECT_FALSE(reading.links[0].link.image);
  EXPECT_EQ(reading.links[0].text_offset, reading.text.find("here now"));
  EXPECT_EQ(reading.links[1].link.href, "https://t.example/p.gif");
  EXPECT_TRUE(reading.links[1].link.image);
  EXPECT_EQ(reading.links[1].text_offset, reading.text.find("\nanchorempty"));
}

TEST(HtmlReadingTest, TableCellsAreSeparatedAndRowsAreLines) {
  const HtmlReading reading = read_html(
      "<table><tr><th>Subject: </th><td>Hi</td></tr><tr><th>From: </th><td>A &lt;a@x.example&gt;"
      "</td></tr></table>",
      10);
  EXPECT_EQ(reading.text, "Subject: Hi\nFrom: A <a@x.example>\n");
}

TEST(HtmlReadingTest, LinkCountIsLimited) {
  std::string html;
  for (int i = 0; i < 20; ++i)
    html += "<a href=\"https://x.example/" + std::to_string(i) + "\">l</a>";
  const HtmlReading reading = read_html(html, 5);
  EXPECT_EQ(reading.links.size(), 5u);
  EXPECT_TRUE(reading.links_truncated);
  EXPECT_EQ(reading.links.back().link.href, "https://x.example/4");
}

TEST(HtmlReadingTest, FormattingElementsLeftOpenDoNotPileUp) {
  // 75 KB of this takes gumbo 3 GB and 10 s when parsed as it is: every
  // paragraph reopens every <b> before it.
  std::string html;
  for (int i = 0; i < 4000; ++i) html += "<p><b id=" + std::to_string(i) + ">x</p>";
  html += "<p><a href=\"https://evil.example/\">go</a></p>";
  const HtmlReading reading = read_html(html, 10);
  EXPECT_TRUE(reading.parsed);
  ASSERT_EQ(reading.links.size(), 1u);
  EXPECT_EQ(reading.links[0].link.text, "go");
  // Each paragraph still shows its text once.
  EXPECT_EQ(reading.text.size(), 4000u * 2 + 3);
}

TEST(HtmlReadingTest, LinksNestedThroughTablesEachReadOnlyTheStartOfTheirText) {
  std::string html;
  for (int i = 0; i < 2000; ++i)
    html += "<a href=\"https://x.example/" + std::to_string(i) + "\"><table><td>";
  html += std::string(100'000, 'w') + " \xc3\xa4";
  const HtmlReading reading = read_html(html, 5000);
  ASSERT_TRUE(reading.parsed);
  ASSERT_EQ(reading.links.size(), 2000u);
  EXPECT_EQ(reading.links[0].link.text, std::string(kMaxLinkTextBytes, 'w'));
  EXPECT_EQ(reading.links[1999].link.href, "https://x.example/1999");
}

TEST(HtmlReadingTest, TooManyTagsIsReadFromTheSourceInstead) {
  std::string html = "<p>Start &amp; go</p><script>var a = '<a href=https://no.example>';</script>";
  for (std::size_t i = 0; i <= kMaxParsedHtmlTags; ++i) html += "<div>";
  html += "<a href=\"https://evil.example/deep\">deep</a>";
  const HtmlReading reading = read_html(html, 10);
  EXPECT_FALSE(reading.parsed);
  EXPECT_EQ(reading.text.rfind("Start & go\n", 0), 0u) << reading.text.substr(0, 40);
  EXPECT_NE(reading.text.find("deep"), std::string::npos);
  ASSERT_EQ(reading.links.size(), 1u);
  EXPECT_EQ(reading.links[0].link.href, "https://evil.example/deep");
  EXPECT_EQ(reading.links[0].link.text, "");
  EXPECT_EQ(reading.links[0].text_offset, 0u);
}

TEST(HtmlReadingTest, TooLargeIsReadFromTheSourceInstead) {
  std::string html = "<p><a href=\"https://evil.example/big\">big</a></p><p>";
  html += std::string(kMaxParsedHtmlBytes, 'x');
  html += "</p>";
  const HtmlReading reading = read_html(html, 10);
  EXPECT_FALSE(reading.parsed);
  ASSERT_EQ(reading.links.size(), 1u);
  EXPECT_EQ(reading.links[0].link.href, "https://evil.example/big");
}

TEST(HtmlReadingTest, InvalidUtf8AndEmptyInput) {
  const HtmlReading reading =
      read_html("<p>caf\xe9 \xff<a href=\"https://x.example/\xfe\">\xc3</a>", 10);
  EXPECT_TRUE(is_valid_utf8(reading.text));
  ASSERT_EQ(reading.links.size(), 1u);
  EXPECT_TRUE(is_valid_utf8(reading.links[0].link.href));
  EXPECT_TRUE(is_valid_utf8(reading.links[0].link.text));

  const HtmlReading empty = read_html("", 10);
  EXPECT_TRUE(empty.text.empty());
  EXPECT_TRUE(empty.links.empty());
}

}  // namespace
}  // namespace phishdrill
