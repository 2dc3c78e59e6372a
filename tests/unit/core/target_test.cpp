#include "core/target.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill {
namespace {

TargetFields valid_fields() {
  TargetFields fields;
  fields.email = "alice@example.com";
  fields.first_name = "Alice";
  fields.last_name = "Smith";
  fields.position = "Accountant";
  fields.department = "Finance";
  return fields;
}

TEST(ValidateTarget, AcceptsMinimalTarget) {
  TargetFields fields;
  fields.email = "bob@example.com";
  auto result = validate_target(fields);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->email, "bob@example.com");
  EXPECT_EQ(result->first_name, "");
  EXPECT_EQ(result->manager_email, "");
  EXPECT_EQ(result->locale, "");
}

TEST(ValidateTarget, TrimsEveryFieldAndLowerCasesEmails) {
  TargetFields fields;
  fields.email = "  Alice@Example.COM\t";
  fields.first_name = " Alice ";
  fields.last_name = "\tSmith\r\n";
  fields.position = "  Accountant";
  fields.department = "Finance  ";
  fields.manager_email = " Boss@Example.com ";
  fields.locale = " en-GB ";
  auto result = validate_target(fields);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->email, "alice@example.com");
  EXPECT_EQ(result->first_name, "Alice");
  EXPECT_EQ(result->last_name, "Smith");
  EXPECT_EQ(result->position, "Accountant");
  EXPECT_EQ(result->department, "Finance");
  EXPECT_EQ(result->manager_email, "boss@example.com");
  EXPECT_EQ(result->locale, "en-GB");  // locale case is kept
}

TEST(ValidateTarget, EmailIsRequired) {
  TargetFields fields = valid_fields();
  fields.email = "   ";
  auto result = validate_target(fields, "targets[3].");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "targets[3].email");
}

TEST(ValidateTarget, InvalidEmailMessageQuotesValue) {
  TargetFields fields = valid_fields();
  fields.email = "bob@";
  auto result = validate_target(fields);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "email");
  EXPECT_EQ(result.error().message, "\"bob@\" is not a valid email address");
}

TEST(ValidateTarget, InvalidEmailEchoIsAtMost80Characters) {
  TargetFields fields = valid_fields();
  fields.email = std::string(300, 'z');
  auto result = validate_target(fields);
  ASSERT_FALSE(result.has_value());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find(std::string(80, 'z')), std::string::npos);
  EXPECT_EQ(message.find(std::string(81, 'z')), std::string::npos);
}

TEST(ValidateTarget, ManagerEmailOptionalButValidated) {
  TargetFields fields = valid_fields();
  fields.manager_email = "not-an-email";
  auto result = validate_target(fields, "t.");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "t.manager_email");
}

TEST(ValidateTarget, LengthLimitCountsCodePointsNotBytes) {
  TargetFields fields = valid_fields();
  // 200 two-byte characters: 400 bytes, 200 code points.
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xC3\xA9";
  fields.first_name = name;
  auto ok = validate_target(fields);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->first_name, name);

  fields.first_name = name + "e";
  auto too_long = validate_target(fields);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().field, "first_name");
  EXPECT_NE(too_long.error().message.find("200"), std::string::npos);

  // 50 four-byte emoji are 200 bytes but only 50 characters.
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\xF0\x9F\x98\x80";
  fields.first_name = emoji;
  EXPECT_TRUE(validate_target(fields).has_value());
}

TEST(ValidateTarget, LengthLimitAppliesToEveryTextField) {
  const std::string at_limit(kMaxTargetTextLength, 'x');
  const std::string over(kMaxTargetTextLength + 1, 'x');
  for (std::string TargetFields::*member : {&TargetFields::first_name, &TargetFields::last_name,
                                            &TargetFields::position, &TargetFields::department}) {
    TargetFields fields = valid_fields();
    fields.*member = at_limit;
    EXPECT_TRUE(validate_target(fields).has_value());
    fields.*member = over;
    EXPECT_FALSE(validate_target(fields).has_value());
  }
}

TEST(ValidateTarget, LengthIsMeasuredAfterTrimming) {
  TargetFields fields = valid_fields();
  fields.department = "  " + std::string(kMaxTargetTextLength, 'd') + "  ";
  EXPECT_TRUE(validate_target(fields).has_value());
}

TEST(ValidateTarget, RejectsControlCharacters) {
  struct Case {
    std::string TargetFields::*member;
    const char* field;
  };
  for (const Case& c :
       {Case{&TargetFields::first_name, "first_name"}, Case{&TargetFields::last_name, "last_name"},
        Case{&TargetFields::position, "position"}, Case{&TargetFields::department, "department"}}) {
    const std::vector<std::string> bad_values = {"Al\nice", "Al\rice", std::string("Al\0ice", 6),
                                                 "\x1B[2J", "x\x7F"};
    for (const std::string& bad : bad_values) {
      TargetFields fields = valid_fields();
      fields.*(c.member) = bad;
      auto result = validate_target(fields, "p.");
      ASSERT_FALSE(result.has_value()) << c.field;
      EXPECT_EQ(result.error().code, ErrorCode::kValidation);
      EXPECT_EQ(result.error().field, std::string("p.") + c.field);
    }
  }
}

TEST(ValidateTarget, RejectsInvalidUtf8) {
  TargetFields fields = valid_fields();
  fields.last_name =
      "Garc\xED"
      "a";
  auto result = validate_target(fields);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "last_name");
}

TEST(ValidateTarget, HtmlAndTemplateSyntaxInNamesIsAllowed) {
  TargetFields fields = valid_fields();
  fields.first_name = "<script>{{.Email}}</script>";
  fields.last_name = "O'Brien & \"Sons\"";
  auto result = validate_target(fields);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->first_name, "<script>{{.Email}}</script>");
  EXPECT_EQ(result->last_name, "O'Brien & \"Sons\"");
}

TEST(ValidateTarget, TabInsideNameIsAllowed) {
  TargetFields fields = valid_fields();
  fields.position = "Head\tof IT";
  EXPECT_TRUE(validate_target(fields).has_value());
}

TEST(ValidateTarget, Locales) {
  for (const char* locale : {"en", "en-US", "pt-BR", "zh-Hant-TW", "es-419", "de-CH-1996"}) {
    TargetFields fields = valid_fields();
    fields.locale = locale;
    EXPECT_TRUE(validate_target(fields).has_value()) << locale;
  }
  for (const char* locale : {"e", "en_US", "en-", "-en", "en--US", "12", "en US", "en-toolongsub",
                             "en.US", "fr-\xC3\xA9"}) {
    TargetFields fields = valid_fields();
    fields.locale = locale;
    auto result = validate_target(fields, "x.");
    ASSERT_FALSE(result.has_value()) << locale;
    EXPECT_EQ(result.error().field, "x.locale");
  }
}

TEST(ValidateTarget, LocaleAtMost35Characters) {
  TargetFields fields = valid_fields();
  fields.locale = "en-aaaaaaaa-bbbbbbbb-cccccccc-dddd";  // 34
  EXPECT_TRUE(validate_target(fields).has_value());
  fields.locale = "en-aaaaaaaa-bbbbbbbb-cccccccc-ddddd";  // 35
  EXPECT_TRUE(validate_target(fields).has_value());
  fields.locale = "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddd";  // 36
  EXPECT_FALSE(validate_target(fields).has_value());
}

TEST(ValidateTarget, EmptyPrefixGivesPlainFieldName) {
  TargetFields fields = valid_fields();
  fields.first_name = "a\nb";
  auto result = validate_target(fields);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "first_name");
}

}  // namespace
}  // namespace phishdrill
