#include "phish/teaching_page.h"

#include <gtest/gtest.h>

namespace phishdrill::phish {
namespace {

TEST(TeachingPage, HighlightsRedFlagsAndEscapesEverything) {
  TeachingContent c;
  c.first_name = "<b>Zoë</b>";
  c.subject = "URGENT: your <account> is locked";
  c.from = "IT Desk <it@examp1e.com>";
  c.text = "Click now or lose access.";
  c.red_flags = {{"subject", "URGENT", "Pressure to act fast"},
                 {"from", "examp1e.com", "A look-alike domain: the l is a 1"},
                 {"body", "lose access", "Threats of loss"}};
  c.submitted = true;
  const std::string html = teaching_page_html(c);
  EXPECT_NE(html.find("This was a phishing simulation, &lt;b&gt;Zoë&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("<mark>URGENT</mark>: your &lt;account&gt; is locked"), std::string::npos);
  EXPECT_NE(html.find("it@<mark>examp1e.com</mark>"), std::string::npos);
  EXPECT_NE(html.find("<mark>lose access</mark>"), std::string::npos);
  EXPECT_NE(html.find("A look-alike domain: the l is a 1"), std::string::npos);
  EXPECT_NE(html.find("no password you typed was kept"), std::string::npos);
  EXPECT_EQ(html.find("<b>Zoë"), std::string::npos);
}

TEST(TeachingPage, GivesGeneralAdviceWithoutRedFlags) {
  TeachingContent c;
  c.subject = "Hello";
  const std::string html = teaching_page_html(c);
  EXPECT_NE(html.find("Check the sender's address"), std::string::npos);
  EXPECT_EQ(html.find("what you typed"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill::phish
