#include "core/error.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

namespace phishdrill {
namespace {

TEST(ErrorCodeName, MapsEveryCode) {
  EXPECT_STREQ(error_code_name(ErrorCode::kBadRequest), "bad_request");
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidJson), "invalid_json");
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidUtf8), "invalid_utf8");
  EXPECT_STREQ(error_code_name(ErrorCode::kUnauthorized), "unauthorized");
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidCredentials), "invalid_credentials");
  EXPECT_STREQ(error_code_name(ErrorCode::kForbidden), "forbidden");
  EXPECT_STREQ(error_code_name(ErrorCode::kCsrf), "csrf");
  EXPECT_STREQ(error_code_name(ErrorCode::kPasswordChangeRequired), "password_change_required");
  EXPECT_STREQ(error_code_name(ErrorCode::kNotFound), "not_found");
  EXPECT_STREQ(error_code_name(ErrorCode::kMethodNotAllowed), "method_not_allowed");
  EXPECT_STREQ(error_code_name(ErrorCode::kConflict), "conflict");
  EXPECT_STREQ(error_code_name(ErrorCode::kPayloadTooLarge), "payload_too_large");
  EXPECT_STREQ(error_code_name(ErrorCode::kUnsupportedMediaType), "unsupported_media_type");
  EXPECT_STREQ(error_code_name(ErrorCode::kValidation), "validation");
  EXPECT_STREQ(error_code_name(ErrorCode::kUnknownField), "unknown_field");
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidType), "invalid_type");
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidCsv), "invalid_csv");
  EXPECT_STREQ(error_code_name(ErrorCode::kRateLimited), "rate_limited");
  EXPECT_STREQ(error_code_name(ErrorCode::kInternal), "internal");
}

TEST(ErrorCodeName, NamesAreDistinct) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    names.insert(error_code_name(static_cast<ErrorCode>(i)));
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
}

TEST(ErrorCodeName, OutOfRangeValueIsInternal) {
  EXPECT_STREQ(error_code_name(static_cast<ErrorCode>(250)), "internal");
}

TEST(Fail, BuildsUnexpectedError) {
  Result<int> result = fail(ErrorCode::kValidation, "too long", "name");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().message, "too long");
  EXPECT_EQ(result.error().field, "name");
  EXPECT_TRUE(result.error().rows.empty());
  EXPECT_EQ(result.error().retry_after_seconds, 0);
}

TEST(Fail, FieldDefaultsToEmpty) {
  Result<int> result = fail(ErrorCode::kNotFound, "no such group");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "");
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return fail(ErrorCode::kValidation, "not a digit", "c");
  return c - '0';
}

Result<void> check_even(int n) {
  if (n % 2 != 0) return fail(ErrorCode::kValidation, "odd");
  return {};
}

Result<int> sum_of_even_digits(char a, char b) {
  const int x = PD_TRY(parse_digit(a));
  const int y = PD_TRY(parse_digit(b));        // a second PD_TRY in one scope
  PD_TRY(check_even(PD_TRY(parse_digit(a))));  // nested, and a Result<void>
  PD_TRY(check_even(y));
  return x + y;
}

TEST(PdTry, YieldsTheValueOrPassesTheFirstErrorUp) {
  EXPECT_EQ(sum_of_even_digits('2', '4'), 6);
  const auto not_digit = sum_of_even_digits('x', '4');
  ASSERT_FALSE(not_digit);
  EXPECT_EQ(not_digit.error().message, "not a digit");
  EXPECT_EQ(not_digit.error().field, "c");
  const auto odd = sum_of_even_digits('3', '4');
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message, "odd");
  EXPECT_FALSE(sum_of_even_digits('2', '5'));
}

TEST(PdTry, MovesMoveOnlyValues) {
  const auto make = []() -> Result<std::unique_ptr<int>> { return std::make_unique<int>(7); };
  const auto use = [&]() -> Result<int> {
    const std::unique_ptr<int> p = PD_TRY(make());
    return *p;
  };
  EXPECT_EQ(use(), 7);
}

}  // namespace
}  // namespace phishdrill
