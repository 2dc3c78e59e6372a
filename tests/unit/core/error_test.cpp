#include "core/error.h"

#include <gtest/gtest.h>

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
