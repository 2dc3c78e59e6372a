#include "mail/template_braces.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <set>
#include <string>
#include <string_view>

namespace phishdrill {
namespace {

TEST(TemplateBracesTest, KeepsEveryKnownVariable) {
  const std::string text =
      "{{.FirstName}}{{.LastName}}{{.Email}}{{.Position}}{{.From}}{{.URL}}"
      "{{.TrackingURL}}{{.Tracker}}{{.RId}}{{.BaseURL}}{{ .URL }}{{  .Email}}";
  EXPECT_EQ(neutralise_template_braces(text), text);
}

TEST(TemplateBracesTest, BreaksEverythingElse) {
  EXPECT_EQ(neutralise_template_braces("{{ printf }}"), "{ { printf }}");
  EXPECT_EQ(neutralise_template_braces("{{.Password}}"), "{ {.Password}}");
  EXPECT_EQ(neutralise_template_braces("{{.firstname}}"), "{ {.firstname}}");
  EXPECT_EQ(neutralise_template_braces("{{.URL | html}}"), "{ {.URL | html}}");
  EXPECT_EQ(neutralise_template_braces("{{\t.URL}}"), "{ {\t.URL}}");
  EXPECT_EQ(neutralise_template_braces("{{.URL}"), "{ {.URL}");
  EXPECT_EQ(neutralise_template_braces("x {{"), "x { {");
  EXPECT_EQ(neutralise_template_braces("{{{{"), "{ { { {");
  EXPECT_EQ(neutralise_template_braces("{{{.URL}}}"), "{ {{.URL}}}");
  EXPECT_EQ(neutralise_template_braces("a { b } }} c"), "a { b } }} c");
  EXPECT_EQ(neutralise_template_braces(""), "");
}

// True when `text` starts with "{{", optional spaces, a known variable,
// optional spaces and "}}".
bool starts_with_valid_expression(std::string_view text) {
  static const std::set<std::string_view> kNames = {
      ".FirstName", ".LastName",    ".Email",   ".Position", ".From",
      ".URL",       ".TrackingURL", ".Tracker", ".RId",      ".BaseURL"};
  if (!text.starts_with("{{")) return false;
  const std::size_t close = text.find("}}", 2);
  if (close == std::string_view::npos) return false;
  std::string_view inner = text.substr(2, close - 2);
  while (inner.starts_with(' ')) inner.remove_prefix(1);
  while (inner.ends_with(' ')) inner.remove_suffix(1);
  return kNames.contains(inner);
}

// Property: in the output, "{{" only ever opens a valid expression.
TEST(TemplateBracesTest, OutputNeverHasAStrayDoubleBrace) {
  const std::string alphabet = "{{{}} .URLEmailx|";
  std::mt19937 random(12345);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 24);
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    for (int i = length(random); i > 0; --i) input.push_back(alphabet[pick(random)]);
    if (round % 7 == 0) input.insert(input.size() / 2, "{{.URL}}");
    const std::string output = neutralise_template_braces(input);
    for (std::size_t pos = output.find("{{"); pos != std::string::npos;
         pos = output.find("{{", pos + 1)) {
      ASSERT_TRUE(starts_with_valid_expression(std::string_view(output).substr(pos)))
          << "input: " << input << "\noutput: " << output;
    }
    // Valid input is never changed.
    if (input.find('{') == std::string::npos) {
      ASSERT_EQ(output, input);
    }
  }
}

}  // namespace
}  // namespace phishdrill
