#include "core/html_tree.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(WithoutNoscriptContent, EmptiesEachNoscriptUpToTheBrowsersEndTag) {
  EXPECT_EQ(without_noscript_content("<p>a</p>"), "<p>a</p>");
  EXPECT_EQ(without_noscript_content("<head><NOSCRIPT><link rel=x></NoScript ></head><body>b"),
            "<head><noscript></noscript ></head><body>b");
  EXPECT_EQ(without_noscript_content("<noscript>a</noscript><p>b<noscript>c</noscript>"),
            "<noscript></noscript><p>b<noscript></noscript>");
  EXPECT_EQ(without_noscript_content("<p><noscript><form>never closed"),
            "<p><noscript></noscript>");
  EXPECT_EQ(without_noscript_content("<svg><noscript>x</noscript></svg>"),
            "<svg><noscript>x</noscript></svg>");  // not HTML: an SVG element
  std::string many;
  for (int i = 0; i < 101; ++i) many += "<noscript></noscript>";
  EXPECT_EQ(without_noscript_content(many), std::nullopt);
}

}  // namespace
}  // namespace phishdrill
