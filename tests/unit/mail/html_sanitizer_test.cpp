#include "mail/html_sanitizer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace phishdrill {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TEST(StripActiveContent, HarmlessHtmlIsReturnedByteForByte) {
  const std::string html =
      "<P CLASS=x>Hi <a href='https://x.example/?a=1&b=2'>x</A><img src=data:image/png;base64,AA>";
  const SanitizedHtml out = strip_active_content(html);
  EXPECT_EQ(out.html, html);
  EXPECT_TRUE(out.removed.empty());
}

TEST(StripActiveContent, ScriptsInsideSvgAndXlinkAreRemoved) {
  const SanitizedHtml out = strip_active_content(
      "<svg viewBox=\"0 0 1 1\"><script>alert(1)</script><a xlink:href=\"javascript:alert(2)\">"
      "<linearGradient id=g></linearGradient></a></svg>");
  EXPECT_FALSE(contains(out.html, "alert")) << out.html;
  EXPECT_TRUE(contains(out.html, "viewBox=\"0 0 1 1\"")) << out.html;
  EXPECT_TRUE(contains(out.html, "<linearGradient id=\"g\">")) << out.html;
  ASSERT_EQ(out.removed.size(), 2u);
  EXPECT_EQ(out.removed[0], "<script> element");
  EXPECT_EQ(out.removed[1], "javascript: URL in xlink:href");
}

TEST(StripActiveContent, UrlsAreJudgedAsABrowserReadsThem) {
  const SanitizedHtml out = strip_active_content(
      "<a href=\"&#x20;java&#x0A;script&colon;alert(1)\">a</a>"
      "<a href=\"data:text/html,<script>alert(2)</script>\">b</a>"
      "<img src=\"data:image/svg+xml,<svg onload=alert(3)>\">"
      "<img src=\"data:image/png;base64,AAAA\"><a href=\"VBScript:msgbox\">c</a>");
  EXPECT_FALSE(contains(out.html, "alert")) << out.html;
  EXPECT_FALSE(contains(out.html, "msgbox")) << out.html;
  EXPECT_TRUE(contains(out.html, "data:image/png;base64,AAAA")) << out.html;
  EXPECT_EQ(out.removed.size(), 4u);
  EXPECT_EQ(out.removed[0], "javascript: URL in href");
}

TEST(StripActiveContent, MetaDeclaringUtf7IsRemoved) {
  const SanitizedHtml out = strip_active_content(
      "<head><meta charset=\"UTF-7\"><meta http-equiv=Content-Type content=\"text/html; "
      "charset=utf-7\"></head><p>+ADw-b+AD4-</p>");
  EXPECT_FALSE(contains(out.html, "<meta")) << out.html;
  ASSERT_EQ(out.removed.size(), 1u);
  EXPECT_EQ(out.removed[0], "<meta> declaring UTF-7 (2)");
}

TEST(StripActiveContent, CountsRepeatedFindings) {
  const SanitizedHtml out =
      strip_active_content("<p onclick=a()>1</p><p onclick=b()>2</p><p ONCLICK=c()>3</p>");
  ASSERT_EQ(out.removed.size(), 1u);
  EXPECT_EQ(out.removed[0], "onclick attribute (3)");
  EXPECT_TRUE(contains(out.html, "<p>1</p><p>2</p><p>3</p>")) << out.html;
}

TEST(StripActiveContent, TextAndAttributesAreEscapedWhenWrittenBack) {
  const SanitizedHtml out = strip_active_content(
      "<p title='a\"b&amp;c' onclick=x()>1 &lt; 2 &amp; "
      "<b>{{.FirstName}}</b></p><style>p>b{}</style>");
  EXPECT_TRUE(contains(out.html, "title=\"a&quot;b&amp;c\"")) << out.html;
  EXPECT_TRUE(contains(out.html, "1 &lt; 2 &amp; <b>{{.FirstName}}</b>")) << out.html;
  EXPECT_TRUE(contains(out.html, "<style>p>b{}</style>")) << out.html;
}

TEST(StripActiveContent, DeepNestingDoesNotOverflowTheStack) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<script>x</script>";
  const SanitizedHtml out = strip_active_content(html);
  EXPECT_FALSE(contains(out.html, "<script")) << out.html.size();
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

// Regression (fuzzing, #10): gumbo, with its error list off, read the
// attribute after a duplicate glued onto it ("xonclick"), so the handler a
// browser runs survived. Such a body is now dropped whole, and said so.
TEST(StripActiveContent, AHandlerAfterADuplicateAttributeDropsTheBody) {
  const auto out = strip_active_content("<p>hi</p><a x x onclick=\"alert(1)\" href=\"#\">a</a>");
  EXPECT_TRUE(out.html.empty()) << out.html;
  ASSERT_EQ(out.removed.size(), 1U);
  EXPECT_NE(out.removed[0].find("too malformed"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill
