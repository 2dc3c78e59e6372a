#include "core/html_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("&"), "&amp;");
  EXPECT_EQ(html_escape("<"), "&lt;");
  EXPECT_EQ(html_escape(">"), "&gt;");
  EXPECT_EQ(html_escape("\""), "&quot;");
  EXPECT_EQ(html_escape("'"), "&#39;");
}

TEST(HtmlEscape, LeavesOtherTextAlone) {
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("Alice Smith"), "Alice Smith");
  EXPECT_EQ(html_escape("Jos\xC3\xA9 \xE2\x82\xAC 100"), "Jos\xC3\xA9 \xE2\x82\xAC 100");
  EXPECT_EQ(html_escape("{{.Email}}"), "{{.Email}}");
}

TEST(HtmlEscape, ScriptBecomesInert) {
  EXPECT_EQ(html_escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
}

TEST(HtmlEscape, AttributeBreakoutIsNeutralised) {
  const std::string escaped = html_escape(R"(" onmouseover="alert(1))");
  EXPECT_EQ(escaped, "&quot; onmouseover=&quot;alert(1)");
  EXPECT_EQ(escaped.find('"'), std::string::npos);
  EXPECT_EQ(html_escape("' onerror='x").find('\''), std::string::npos);
}

TEST(HtmlEscape, AmpersandIsEscapedOnce) {
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");
  EXPECT_EQ(html_escape("a=1&b=2"), "a=1&amp;b=2");
}

TEST(HtmlEscape, SpecialsAtTheEdgesAndAdjacent) {
  EXPECT_EQ(html_escape("<a>"), "&lt;a&gt;");
  EXPECT_EQ(html_escape("<<>>"), "&lt;&lt;&gt;&gt;");
  EXPECT_EQ(html_escape("x&"), "x&amp;");
}

TEST(AppendHtmlEscaped, AppendsToExistingContent) {
  std::string out = "<p>";
  append_html_escaped(out, "Tom & Jerry");
  out += "</p>";
  EXPECT_EQ(out, "<p>Tom &amp; Jerry</p>");
}

TEST(AppendHtmlEscaped, EmptyInputAppendsNothing) {
  std::string out = "x";
  append_html_escaped(out, "");
  EXPECT_EQ(out, "x");
}

}  // namespace
}  // namespace phishdrill
