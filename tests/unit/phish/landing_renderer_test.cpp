#include "phish/landing_renderer.h"

#include <gtest/gtest.h>

namespace phishdrill::phish {
namespace {

constexpr const char* kAction = "https://p.example/?rid=abc";

TEST(RewriteForms, PointsEveryFormBackAtTheTrackingUrl) {
  const std::string html =
      "<html><body><form action=\"https://evil.example/login\" method=get><input name=u>"
      "</form><FORM><input name=v></FORM></body></html>";
  const std::string out = rewrite_forms(html, kAction);
  EXPECT_EQ(out.find("evil.example"), std::string::npos) << out;
  EXPECT_NE(out.find("<form action=\"https://p.example/?rid=abc\" method=\"post\">"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<FORM action=\"https://p.example/?rid=abc\" method=\"post\">"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<input name=u>"), std::string::npos);  // the rest is byte-preserved
}

TEST(RewriteForms, EscapesTheActionUrl) {
  const std::string out = rewrite_forms("<form></form>", "https://p.example/?a=1&rid=\"x");
  EXPECT_NE(out.find("action=\"https://p.example/?a=1&amp;rid=&quot;x\""), std::string::npos)
      << out;
}

TEST(RewriteForms, AddsABaseForRelativeResources) {
  const std::string out = rewrite_forms(
      "<!doctype html><html><head><title>t</title></head><body><img src=logo.png></body></html>",
      kAction, "https://login.example.com/portal/");
  EXPECT_NE(out.find("<head><base href=\"https://login.example.com/portal/\"><title>"),
            std::string::npos)
      << out;
}

TEST(RewriteForms, KeepsAnExistingBaseAndHandlesHeadlessPages) {
  const std::string with_base = "<html><head><base href=\"/x/\"></head></html>";
  EXPECT_EQ(rewrite_forms(with_base, kAction, "https://a.example/"), with_base);
  const std::string fragment = "<!doctype html><p>hello <img src=a.png>";
  const std::string out = rewrite_forms(fragment, kAction, "https://a.example/");
  EXPECT_EQ(out, "<!doctype html><base href=\"https://a.example/\"><p>hello <img src=a.png>");
  EXPECT_EQ(rewrite_forms(fragment, kAction), fragment);
}

TEST(PasswordInputNames, CollectsPasswordFieldsOnly) {
  const auto names = password_input_names(
      "<form><input name=user><input type=PASSWORD name=pw><input type=password name=pin2>"
      "<input type=text name=otp></form>");
  EXPECT_EQ(names, (std::set<std::string>{"pin2", "pw"}));
}

}  // namespace
}  // namespace phishdrill::phish
