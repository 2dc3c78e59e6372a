#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/csv.h"

namespace phishdrill {
namespace {

using Fields = std::vector<std::string>;

std::string record(const Fields& fields) {
  std::string out;
  append_csv_record(out, fields);
  return out;
}

TEST(AppendCsvRecord, PlainFieldsAreNotQuotedAndEndWithCrlf) {
  EXPECT_EQ(record({"a", "b c", "42"}), "a,b c,42\r\n");
  EXPECT_EQ(record({"", "", ""}), ",,\r\n");
  EXPECT_EQ(record({"only"}), "only\r\n");
  EXPECT_EQ(record({}), "\r\n");
}

TEST(AppendCsvRecord, AppendsToWhatIsThere) {
  std::string out = "email,score\r\n";
  append_csv_record(out, {"a@x.example", "90"});
  append_csv_record(out, {"b@x.example", "75"});
  EXPECT_EQ(out, "email,score\r\na@x.example,90\r\nb@x.example,75\r\n");
}

TEST(AppendCsvRecord, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(record({"Doe, Jane"}), "\"Doe, Jane\"\r\n");
  EXPECT_EQ(record({"say \"hi\""}), "\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(record({"two\nlines"}), "\"two\nlines\"\r\n");
  EXPECT_EQ(record({"two\r\nlines"}), "\"two\r\nlines\"\r\n");
  EXPECT_EQ(record({"x\ry"}), "\"x\ry\"\r\n");
  EXPECT_EQ(record({"\""}), "\"\"\"\"\r\n");
}

TEST(AppendCsvRecord, NeutralisesFormulas) {
  EXPECT_EQ(record({"=1+1"}), "'=1+1\r\n");
  EXPECT_EQ(record({"+31 20 123"}), "'+31 20 123\r\n");
  EXPECT_EQ(record({"-5"}), "'-5\r\n");
  EXPECT_EQ(record({"@SUM(A1)"}), "'@SUM(A1)\r\n");
  EXPECT_EQ(record({"\tcmd"}), "\"'\tcmd\"\r\n");
  // A leading CR is both neutralised and (being a line break) quoted.
  EXPECT_EQ(record({"\rcmd"}), "\"'\rcmd\"\r\n");
  // A formula with a comma: neutralised inside the quotes.
  EXPECT_EQ(record({"=HYPERLINK(\"http://x\",\"y\")"}),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
}

TEST(AppendCsvRecord, OnlyALeadingFormulaCharacterCounts) {
  EXPECT_EQ(record({"a=b", "x-y", "me@x.example", "1+1"}), "a=b,x-y,me@x.example,1+1\r\n");
}

TEST(AppendCsvRecord, NeutralisesFormulasAfterLeadingSpaces) {
  EXPECT_EQ(record({" =1"}), "' =1\r\n");
  EXPECT_EQ(record({"  =1+1"}), "'  =1+1\r\n");
  EXPECT_EQ(record({"\u00A0@SUM(A1)"}), "'\u00A0@SUM(A1)\r\n");
  EXPECT_EQ(record({"\u3000+1"}), "'\u3000+1\r\n");
}

TEST(AppendCsvRecord, NeutralisesFullWidthFormulaStarts) {
  EXPECT_EQ(record({"\uFF1D1+1"}), "'\uFF1D1+1\r\n");
  EXPECT_EQ(record({"\uFF0B1"}), "'\uFF0B1\r\n");
  EXPECT_EQ(record({"\uFF0D1"}), "'\uFF0D1\r\n");
  EXPECT_EQ(record({"\uFF20SUM(A1)"}), "'\uFF20SUM(A1)\r\n");
  EXPECT_EQ(record({" \uFF1D1"}), "' \uFF1D1\r\n");
}

TEST(AppendCsvRecord, QuotesEverySeparatorSpreadsheetsUse) {
  // A semicolon-locale Excel splits an unquoted ";=1+1;" into a formula cell.
  EXPECT_EQ(record({"a;b", "c"}), "\"a;b\",c\r\n");
  EXPECT_EQ(record({"a\tb"}), "\"a\tb\"\r\n");
}

TEST(AppendCsvRecord, NeutralisesFormulasAfterSeparatorsInsideACell) {
  // Excel in a semicolon locale splits x,";=1+1;" at the semicolons, quotes
  // or not: the part after each split must not start a formula either.
  EXPECT_EQ(record({";=1+1;"}), "\";'=1+1;\"\r\n");
  EXPECT_EQ(record({"a; =1"}), "\"a;' =1\"\r\n");
  EXPECT_EQ(record({"a,\uFF1D1"}), "\"a,'\uFF1D1\"\r\n");
  EXPECT_EQ(record({"x\n@cmd"}), "\"x\n'@cmd\"\r\n");
  EXPECT_EQ(record({"\t=1"}), "\"'\t'=1\"\r\n");
  EXPECT_EQ(record({"a;b,c d"}), "\"a;b,c d\"\r\n");
}

TEST(AppendCsvRecord, RoundTripsThroughParseCsv) {
  const std::vector<Fields> rows = {
      {"email", "first name", "module", "score"},
      {"a@x.example", "Doe, Jane", "say \"hi\"", "100"},
      {"b@x.example", "multi\nline", "", "0"},
      {"c@x.example", "crlf\r\ninside", "Zoë ✓", "55"},
      {"d@x.example", "x", "y", "z"},
  };
  std::string out;
  for (const auto& r : rows) append_csv_record(out, r);
  auto parsed = parse_csv(out);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ((*parsed)[i].fields, rows[i]) << i;
}

TEST(AppendCsvRecord, NeutralisedFieldsParseBackWithTheQuoteMark) {
  std::string out;
  append_csv_record(out, {"=cmd|' /C calc'!A0", "-2", "@x,y"});
  auto parsed = parse_csv(out);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].fields, (Fields{"'=cmd|' /C calc'!A0", "'-2", "'@x,y"}));
}

}  // namespace
}  // namespace phishdrill
