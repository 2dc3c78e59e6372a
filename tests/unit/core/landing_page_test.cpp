#include "core/landing_page.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

LandingPage page(std::string html, std::vector<std::string> safe_fields) {
  LandingPage p;
  p.name = "Sign in";
  p.html = std::move(html);
  p.capture = CapturePolicy::kValues;
  p.safe_fields = std::move(safe_fields);
  return p;
}

TEST(LandingPageSafeFields, OrdinaryFieldsMayBeNamedSafe) {
  auto p =
      page("<form><input name=username><input name=department></form>", {"username", "department"});
  EXPECT_TRUE(validate_landing_page(p));
}

TEST(LandingPageSafeFields, ASecretNameIsRefusedByName) {
  auto p = page("<form><input name=kennwort></form>", {"username", "kennwort"});
  const auto result = validate_landing_page(p);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "safe_fields");
  EXPECT_NE(result.error().message.find("\"kennwort\""), std::string::npos)
      << result.error().message;
}

TEST(LandingPageSafeFields, AFieldTheHtmlMarksSecretIsRefused) {
  for (const char* html :
       {"<input type=password name=login>", "<input name=login autocomplete=current-password>",
        "<input name=login autocomplete=one-time-code>",
        "<input name=login autocomplete=cc-number>"}) {
    auto p = page(html, {"login"});
    const auto result = validate_landing_page(p);
    ASSERT_FALSE(result) << html;
    EXPECT_NE(result.error().message.find("\"login\""), std::string::npos) << html;
  }
}

TEST(LandingPageSafeFields, EmptyDuplicateAndTooManyNamesAreRefused) {
  auto empty = page("", {""});
  EXPECT_FALSE(validate_landing_page(empty));
  auto twice = page("", {"a", "a"});
  EXPECT_FALSE(validate_landing_page(twice));
  std::vector<std::string> many;
  for (int i = 0; i < 51; ++i) many.push_back("f" + std::to_string(i));
  auto too_many = page("", many);
  EXPECT_FALSE(validate_landing_page(too_many));
}

}  // namespace
}  // namespace phishdrill
