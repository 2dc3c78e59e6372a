#include "core/template_scale.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {
namespace {

constexpr std::array<std::string_view, 3> kCategories = {"credentials", "payment", "delivery"};

// The field a validation error names ("" when the scale is valid).
std::string error_field(TemplateScale scale) {
  const auto r = validate_template_scale(scale, kCategories);
  if (r.has_value()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_FALSE(r.error().message.empty());
  return r.error().field;
}

TemplateScale with_cues(std::vector<AuthoredCue> cues) {
  TemplateScale scale;
  scale.cues = std::move(cues);
  return scale;
}

TEST(TemplateScale, AnEmptyScaleIsValid) { EXPECT_EQ(error_field(TemplateScale{}), ""); }

TEST(TemplateScale, AFullValidScale) {
  TemplateScale scale;
  scale.category = "credentials";
  scale.library_slug = "password-expires-today-es";
  scale.cues = {{"no_branding", "no logo"}, {"poses_as_authority", "signed by the CEO"}};
  scale.dismissed = {"generic_greeting", "sense_of_urgency"};
  EXPECT_EQ(error_field(scale), "");
}

TEST(TemplateScale, TheCategoryIsEmptyOrALibraryCategory) {
  TemplateScale scale;
  for (const std::string_view category : kCategories) {
    scale.category = category;
    EXPECT_EQ(error_field(scale), "") << category;
  }
  for (const std::string_view category : {"other", "Credentials", " credentials", "credentials "}) {
    scale.category = category;
    EXPECT_EQ(error_field(scale), "phish_scale.category") << '"' << category << '"';
  }
}

TEST(TemplateScale, NoCategoryIsKnownWithoutCategories) {
  TemplateScale scale;
  scale.category = "credentials";
  EXPECT_FALSE(validate_template_scale(scale, {}).has_value());
  scale.category = "";
  EXPECT_TRUE(validate_template_scale(scale, {}).has_value());
}

TEST(TemplateScale, TheLibrarySlugIsEmptyOrASlug) {
  TemplateScale scale;
  for (const std::string& slug :
       std::vector<std::string>{"a", "ceo-urgent-favour", "2fa-reset-2", std::string(64, 'a')}) {
    scale.library_slug = slug;
    EXPECT_EQ(error_field(scale), "") << slug;
  }
}

TEST(TemplateScale, ABadLibrarySlugIsRefused) {
  TemplateScale scale;
  for (const std::string& slug :
       std::vector<std::string>{"Ceo-Urgent", "ceo_urgent", "ceo urgent", "ceo/urgent", "../etc",
                                "ceo.urgent", "café", "-ceo", std::string(65, 'a')}) {
    scale.library_slug = slug;
    EXPECT_EQ(error_field(scale), "phish_scale.library_slug") << slug;
  }
}

TEST(TemplateScale, AtMostFortyCues) {
  std::vector<AuthoredCue> cues(40, AuthoredCue{"distracting_detail", "a detail"});
  EXPECT_EQ(error_field(with_cues(cues)), "");
  cues.push_back({"distracting_detail", "one too many"});
  EXPECT_EQ(error_field(with_cues(cues)), "phish_scale.cues");
}

TEST(TemplateScale, EachCueIsOfAKnownTypeNamedByItsIndex) {
  EXPECT_EQ(error_field(with_cues({{"no_branding", "no logo"},
                                   {"logo_imitation", "old logo"},
                                   {"bad_vibes", "it feels off"}})),
            "phish_scale.cues[2].type");
  EXPECT_EQ(error_field(with_cues({{"", "no logo"}})), "phish_scale.cues[0].type");
  EXPECT_EQ(error_field(with_cues({{"No_Branding", "no logo"}})), "phish_scale.cues[0].type");
  EXPECT_EQ(error_field(with_cues({{"language", "a category, not a type"}})),
            "phish_scale.cues[0].type");
}

TEST(TemplateScale, EachCueSaysWhereInOneTo300Characters) {
  EXPECT_EQ(error_field(with_cues({{"no_branding", "x"}})), "");
  EXPECT_EQ(error_field(with_cues({{"no_branding", std::string(300, 'x')}})), "");
  EXPECT_EQ(error_field(with_cues({{"no_branding", "ok"}, {"no_branding", ""}})),
            "phish_scale.cues[1].where");
  EXPECT_EQ(error_field(with_cues({{"no_branding", " \t\r\n "}})), "phish_scale.cues[0].where");
  EXPECT_EQ(error_field(with_cues({{"no_branding", std::string(301, 'x')}})),
            "phish_scale.cues[0].where");
}

TEST(TemplateScale, WhereIsCountedInCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 300; ++i) accented += "é";  // 600 bytes, 300 characters
  EXPECT_EQ(error_field(with_cues({{"no_branding", accented}})), "");
  EXPECT_EQ(error_field(with_cues({{"no_branding", accented + "é"}})), "phish_scale.cues[0].where");
}

TEST(TemplateScale, WhereIsCountedAfterTrimming) {
  EXPECT_EQ(error_field(with_cues({{"no_branding", "  " + std::string(300, 'x') + "\n"}})), "");
}

TEST(TemplateScale, WhereMustBeUtf8) {
  EXPECT_EQ(error_field(with_cues({{"no_branding", "logo \xFF\xFE"}})),
            "phish_scale.cues[0].where");
  EXPECT_EQ(error_field(with_cues({{"no_branding", "\xC3"}})), "phish_scale.cues[0].where");
}

TEST(TemplateScale, ValidationTrimsWhere) {
  TemplateScale scale = with_cues({{"no_branding", "  no logo at all \n"}});
  ASSERT_TRUE(validate_template_scale(scale, kCategories).has_value());
  EXPECT_EQ(scale.cues[0].where, "no logo at all");
}

TEST(TemplateScale, DismissedTypesAreKnown) {
  TemplateScale scale;
  scale.dismissed = {"generic_greeting", "urgency"};
  EXPECT_EQ(error_field(scale), "phish_scale.dismissed");
  scale.dismissed = {""};
  EXPECT_EQ(error_field(scale), "phish_scale.dismissed");
}

TEST(TemplateScale, ATypeIsDismissedOnce) {
  TemplateScale scale;
  scale.dismissed = {"generic_greeting", "sense_of_urgency", "generic_greeting"};
  EXPECT_EQ(error_field(scale), "phish_scale.dismissed");
}

TEST(TemplateScale, EveryCueTypeCanBeAuthoredAndDismissed) {
  TemplateScale scale;
  scale.cues = {{"inconsistency", "the signature names another person"}};
  scale.dismissed = {"spelling_grammar", "url_hyperlinking",      "domain_spoofing",
                     "attachment_type",  "display_name_mismatch", "humanitarian_appeal"};
  EXPECT_EQ(error_field(scale), "");
}

TEST(TemplateScale, TheFirstBadFieldIsNamed) {
  TemplateScale scale;
  scale.category = "nope";
  scale.library_slug = "Nope";
  scale.cues = {{"nope", ""}};
  scale.dismissed = {"nope"};
  EXPECT_EQ(error_field(scale), "phish_scale.category");
  scale.category = "";
  EXPECT_EQ(error_field(scale), "phish_scale.library_slug");
  scale.library_slug = "";
  EXPECT_EQ(error_field(scale), "phish_scale.cues[0].type");
  scale.cues[0].type = "no_branding";
  EXPECT_EQ(error_field(scale), "phish_scale.cues[0].where");
  scale.cues[0].where = "no logo";
  EXPECT_EQ(error_field(scale), "phish_scale.dismissed");
  scale.dismissed.clear();
  EXPECT_EQ(error_field(scale), "");
}

}  // namespace
}  // namespace phishdrill
