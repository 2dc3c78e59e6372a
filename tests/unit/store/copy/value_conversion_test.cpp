// Conversions of a store copy: which SQLite declared type goes to which
// PostgreSQL type, and each stored value in PostgreSQL's text input form,
// with a value that does not fit refused (never changed on the way).
#include "store/copy/value_conversion.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::store_copy {
namespace {

TableValue integer(std::int64_t n) { return {TableValue::Kind::kInteger, n, 0, {}}; }
TableValue text(std::string_view s) { return {TableValue::Kind::kText, 0, 0, s}; }
TableValue blob(std::string_view s) { return {TableValue::Kind::kBlob, 0, 0, s}; }
TableValue real(double d) { return {TableValue::Kind::kReal, 0, d, {}}; }

std::string converted(Conversion conversion, const TableValue& value) {
  std::string scratch;
  const auto out = postgres_text(conversion, value, scratch);
  EXPECT_TRUE(out.has_value()) << out.error().message;
  if (!out) return "<error>";
  return *out ? std::string(**out) : "<null>";
}

std::string refusal(Conversion conversion, const TableValue& value) {
  std::string scratch;
  const auto out = postgres_text(conversion, value, scratch);
  EXPECT_FALSE(out.has_value());
  if (out) return "<accepted>";
  EXPECT_EQ(out.error().code, ErrorCode::kValidation);
  return out.error().message;
}

TEST(ValueConversion, FollowsSqliteTypeAffinity) {
  EXPECT_EQ(conversion_between("integer", "bigint"), Conversion::kInteger);
  EXPECT_EQ(conversion_between("INT", "integer"), Conversion::kInteger);
  EXPECT_EQ(conversion_between("integer", "boolean"), Conversion::kBoolean);
  EXPECT_EQ(conversion_between("boolean", "boolean"), Conversion::kBoolean);  // NUMERIC affinity
  EXPECT_EQ(conversion_between("text", "text"), Conversion::kText);
  EXPECT_EQ(conversion_between("varchar(20)", "character varying"), Conversion::kText);
  EXPECT_EQ(conversion_between("real", "double precision"), Conversion::kReal);
  EXPECT_EQ(conversion_between("blob", "bytea"), Conversion::kBytes);
  EXPECT_EQ(conversion_between("", "bytea"), Conversion::kBytes);
}

TEST(ValueConversion, RefusesPairsWithoutAFaithfulConversion) {
  EXPECT_FALSE(conversion_between("text", "bigint").has_value());
  EXPECT_FALSE(conversion_between("integer", "text").has_value());
  EXPECT_FALSE(conversion_between("text", "boolean").has_value());
  EXPECT_FALSE(conversion_between("text", "jsonb").has_value());
  EXPECT_FALSE(conversion_between("integer", "timestamp with time zone").has_value());
}

TEST(ValueConversion, WritesValuesInPostgresTextForm) {
  EXPECT_EQ(converted(Conversion::kInteger, integer(-9223372036854775807LL - 1)),
            "-9223372036854775808");
  EXPECT_EQ(converted(Conversion::kBoolean, integer(0)), "f");
  EXPECT_EQ(converted(Conversion::kBoolean, integer(1)), "t");
  EXPECT_EQ(converted(Conversion::kReal, real(0.1)), "0.1");
  EXPECT_EQ(converted(Conversion::kReal, integer(3)), "3");
  EXPECT_EQ(converted(Conversion::kText, text("Zoë\tO'Brien\\")), "Zoë\tO'Brien\\");
  EXPECT_EQ(converted(Conversion::kBytes, blob(std::string_view("\x00\xff\x10", 3))), "\\x00ff10");
  EXPECT_EQ(converted(Conversion::kText, TableValue{}), "<null>");
  EXPECT_EQ(converted(Conversion::kBoolean, TableValue{}), "<null>");
}

TEST(ValueConversion, RefusesAValueThatDoesNotFitItsColumn) {
  EXPECT_EQ(refusal(Conversion::kBoolean, integer(2)), "holds 2 where a flag (0 or 1) belongs");
  EXPECT_EQ(refusal(Conversion::kInteger, text("12")), "holds text where an integer belongs");
  EXPECT_EQ(refusal(Conversion::kInteger, real(1.5)),
            "holds a real number where an integer belongs");
  EXPECT_EQ(refusal(Conversion::kText, integer(7)), "holds an integer where text belongs");
  EXPECT_EQ(refusal(Conversion::kText, blob("x")), "holds a blob where text belongs");
  EXPECT_EQ(refusal(Conversion::kBytes, text("x")), "holds text where a blob belongs");
}

}  // namespace
}  // namespace phishdrill::store_copy
