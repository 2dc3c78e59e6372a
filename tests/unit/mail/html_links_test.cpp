#include "mail/html_links.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(HtmlLinksTest, RewritesQuotedUnquotedAndSingleQuotedValues) {
  EXPECT_EQ(rewrite_link_hrefs("<a href=\"http://a\">1</a><a href=http://b>2</a>"
                               "<a href='http://c' title='t'>3</a>",
                               "{{.URL}}"),
            "<a href=\"{{.URL}}\">1</a><a href=\"{{.URL}}\">2</a>"
            "<a href=\"{{.URL}}\" title='t'>3</a>");
}

TEST(HtmlLinksTest, LooksAtTheDecodedValue) {
  // &#109; is "m": the link is a mailto: link and stays.
  const std::string mail = "<a href=\"&#109;ailto:x@example.com\">m</a>";
  EXPECT_EQ(rewrite_link_hrefs(mail, "{{.URL}}"), mail);
  const std::string anchor = "<a href=\"  #section\">s</a>";
  EXPECT_EQ(rewrite_link_hrefs(anchor, "{{.URL}}"), anchor);
  EXPECT_EQ(rewrite_link_hrefs("<a href=\"TEL:1\">t</a><a href=\"telnet://h\">n</a>", "U"),
            "<a href=\"TEL:1\">t</a><a href=\"U\">n</a>");
}

TEST(HtmlLinksTest, LeavesOtherElementsAndValuelessHrefAlone) {
  const std::string html =
      "<link href=\"http://s\"><area href=\"http://m\"><base href=\"http://b/\">"
      "<a href>empty</a><a>none</a><textarea><a href=\"http://t\"></textarea>"
      "<script>document.write('<a href=\"http://s\">')</script>";
  EXPECT_EQ(rewrite_link_hrefs(html, "{{.URL}}"), html);
}

TEST(HtmlLinksTest, PreservesNonAsciiAndBrokenMarkupByteForByte) {
  EXPECT_EQ(rewrite_link_hrefs("<p>Grüße — ✓<a href=\"https://ü.example/ä\">ß</a><b><i>x</b>",
                               "{{.URL}}"),
            "<p>Grüße — ✓<a href=\"{{.URL}}\">ß</a><b><i>x</b>");
  EXPECT_EQ(rewrite_link_hrefs("", "{{.URL}}"), "");
}

TEST(HtmlLinksTest, FindsLinksInsideTemplatesTablesAndSvg) {
  EXPECT_EQ(rewrite_link_hrefs("<table><a href=\"http://foster\">f</a><tr><td>"
                               "<template><a href=\"http://t\">t</a></template>"
                               "<svg><a href=\"http://s\"><text>s</text></a></svg>",
                               "X"),
            "<table><a href=\"X\">f</a><tr><td>"
            "<template><a href=\"X\">t</a></template>"
            "<svg><a href=\"X\"><text>s</text></a></svg>");
}

TEST(HtmlLinksTest, SurvivesDeepNesting) {
  std::string html;
  for (int i = 0; i < 10000; ++i) html += "<div>";
  const std::string result = rewrite_link_hrefs(html + "<a href=\"http://deep\">d</a>", "U");
  EXPECT_EQ(result, html + "<a href=\"U\">d</a>");
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

// An href after a duplicate attribute is misread by gumbo ("xhref"): rather
// than rewrite some links and not others, the body is left as it was.
TEST(HtmlLinksTest, ABodyGumboMisreadsIsLeftAlone) {
  const std::string html = "<a href=\"http://b\">2</a><a x x href=\"http://a\">1</a>";
  EXPECT_EQ(rewrite_link_hrefs(html, "{{.URL}}"), html);
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

TEST(NeutraliseRemoteContentTest, NothingFetchesAndNoLinkLeads) {
  const std::string html =
      "<p style='color:red'>Hi <a href=\"https://evil.example/login\">sign in</a></p>"
      "<img src=\"https://evil.example/p.gif\" srcset=\"https://evil.example/2x.gif 2x\">"
      "<img src='data:image/png;base64,AAAA'>"
      "<link rel=stylesheet href=https://evil.example/s.css>"
      "<table background=\"https://evil.example/bg.png\"><tr><td>x</td></tr></table>"
      "<video poster=\"https://evil.example/v.png\"></video><map><area "
      "href=\"https://x.example\"></map>";
  const auto safe = neutralise_remote_content(html);
  ASSERT_TRUE(safe);
  EXPECT_EQ(safe->find("evil.example"), std::string::npos) << *safe;
  EXPECT_EQ(safe->find("x.example"), std::string::npos) << *safe;
  EXPECT_NE(safe->find("data:image/png;base64,AAAA"), std::string::npos);
  EXPECT_NE(safe->find("<p style='color:red'>Hi <a href=\"#\">sign in</a></p>"), std::string::npos);
}

TEST(NeutraliseRemoteContentTest, EmptyStaysEmpty) {
  EXPECT_EQ(neutralise_remote_content(""), std::string());
}

}  // namespace
}  // namespace phishdrill
