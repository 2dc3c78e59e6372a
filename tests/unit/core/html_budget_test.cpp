#include "core/html_budget.h"

#include <gtest/gtest.h>

#include <string>

#include "core/html_tree.h"

namespace phishdrill {
namespace {

std::string repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(HtmlBudgetTest, OrdinaryMailIsWithinBudget) {
  const std::string mail =
      "<html><head><meta charset=utf-8><style>p{margin:0}</style></head><body>" +
      repeat(
          "<table><tr><td><p><b>Invoice</b> <i>due</i> <a href='https://x.example'>pay</a>"
          "<br><img src='cid:logo'></p></td></tr></table>",
          2000) +
      "</body></html>";
  EXPECT_TRUE(html_within_budget(mail));
  EXPECT_TRUE(ParsedHtml(mail).complete());
}

TEST(HtmlBudgetTest, FormattingLeftOpenIsOverBudgetAndNotParsed) {
  // Each <p> reopens every <b> still open: quadratic in gumbo.
  std::string hostile;
  for (int i = 0; i < 5000; ++i) hostile += "<p><b id=" + std::to_string(i) + ">x</p>";
  EXPECT_FALSE(html_within_budget(hostile));
  EXPECT_FALSE(ParsedHtml(hostile).complete());
  // Closed, the same tags are fine.
  EXPECT_TRUE(html_within_budget(repeat("<p><b id=1>x</b></p>", 5000)));
}

TEST(HtmlBudgetTest, DeepNestingIsOverBudget) {
  EXPECT_FALSE(html_within_budget(repeat("<div>", 40000)));
  EXPECT_TRUE(html_within_budget(repeat("<div>", 10000)));
  // Void and self-closed elements open nothing.
  EXPECT_TRUE(html_within_budget(repeat("<br><img src=x><span/>", 40000)));
}

TEST(HtmlBudgetTest, TooLargeIsOverBudget) {
  EXPECT_FALSE(html_within_budget(std::string(kMaxHtmlBytes + 1, 'x')));
  EXPECT_TRUE(html_within_budget("a < b and c<1 </>"));
}

}  // namespace
}  // namespace phishdrill
