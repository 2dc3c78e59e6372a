#include "core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRow> parse_ok(std::string_view text) {
  auto rows = parse_csv(text);
  EXPECT_TRUE(rows.has_value()) << (rows ? "" : rows.error().message);
  return rows ? *rows : std::vector<CsvRow>{};
}

CsvDocument document_ok(std::string_view text) {
  auto document = parse_csv_document(text);
  EXPECT_TRUE(document.has_value()) << (document ? "" : document.error().message);
  return document ? *document : CsvDocument{};
}

TEST(ParseCsv, EmptyInputHasNoRows) {
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_TRUE(parse_ok("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(parse_ok("\n\r\n\n").empty());
}

TEST(ParseCsv, SimpleRowsWithLf) {
  auto rows = parse_ok("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
}

TEST(ParseCsv, NoTrailingNewline) {
  auto rows = parse_ok("a,b\n1,2");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
}

TEST(ParseCsv, CrlfLineEnds) {
  auto rows = parse_ok("a,b\r\n1,2\r\n3,4\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));  // no stray '\r' on the last field
  EXPECT_EQ(rows[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(rows[2].line, 3u);
}

TEST(ParseCsv, LoneCrIsALineEnd) {
  auto rows = parse_ok("a,b\r1,2\r");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(rows[1].line, 2u);
}

TEST(ParseCsv, LeadingBomIsSkipped) {
  auto rows = parse_ok(
      "\xEF\xBB\xBF"
      "Email,Name\r\na@b.example,A\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "Email");
  EXPECT_EQ(rows[0].line, 1u);
}

TEST(ParseCsv, BomOnlyAtStartIsSkipped) {
  // A BOM elsewhere is ordinary (valid) text.
  auto rows = parse_ok(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields[0],
            "\xEF\xBB\xBF"
            "b");
}

TEST(ParseCsv, BlankLinesAreSkippedButCounted) {
  auto rows = parse_ok("a,b\n\n1,2\r\n\r\n\n3,4\n\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 1u);
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[2].line, 6u);
}

TEST(ParseCsv, EmptyFields) {
  auto rows = parse_ok(",\na,,b\n,,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"a", "", "b"}));
  EXPECT_EQ(rows[2].fields, (Fields{"", "", ""}));
}

TEST(ParseCsv, TrailingCommaAtEndOfInput) {
  auto rows = parse_ok("a,b,");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", ""}));
}

TEST(ParseCsv, WhitespaceIsPreserved) {
  auto rows = parse_ok(" a , b\t\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{" a ", " b\t"}));
}

TEST(ParseCsv, QuotedFieldsWithCommas) {
  auto rows = parse_ok("\"Smith, John\",\"x\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"Smith, John", "x"}));
}

TEST(ParseCsv, DoubledQuotes) {
  auto rows = parse_ok("\"He said \"\"hi\"\"\",\"\"\"\",\"\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"He said \"hi\"", "\"", ""}));
}

TEST(ParseCsv, QuotedEmptyFieldMakesARecord) {
  auto rows = parse_ok("\"\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{""}));
}

TEST(ParseCsv, QuotedNewlinesAdvanceTheLineNumber) {
  auto rows = parse_ok("h1,h2\n\"multi\nline\",x\nnext,row\r\n\"a\r\nb\r\nc\",y\r\nlast,one\n");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"multi\nline", "x"}));
  EXPECT_EQ(rows[2].line, 4u);
  EXPECT_EQ(rows[3].line, 5u);
  EXPECT_EQ(rows[3].fields, (Fields{"a\r\nb\r\nc", "y"}));
  EXPECT_EQ(rows[4].line, 8u);
  EXPECT_EQ(rows[4].fields, (Fields{"last", "one"}));
}

TEST(ParseCsv, QuotedFieldAtEndOfInput) {
  auto rows = parse_ok("a,\"b\"");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
}

TEST(ParseCsv, Utf8Content) {
  auto rows = parse_ok("Jos\xC3\xA9,\xE6\x97\xA5\xE6\x9C\xAC,\"\xF0\x9F\x98\x80\"\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields[0], "Jos\xC3\xA9");
  EXPECT_EQ(rows[0].fields[2], "\xF0\x9F\x98\x80");
}

TEST(ParseCsv, UnterminatedQuoteReportsTheLineItOpensOn) {
  auto rows = parse_csv("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
  ASSERT_FALSE(rows.has_value());
  EXPECT_EQ(rows.error().code, ErrorCode::kInvalidCsv);
  ASSERT_EQ(rows.error().rows.size(), 1u);
  EXPECT_EQ(rows.error().rows[0].line, 3u);
  EXPECT_NE(rows.error().message.find("line 3"), std::string::npos) << rows.error().message;
}

TEST(ParseCsv, UnterminatedQuoteAfterMultilineField) {
  auto rows = parse_csv("\"a\nb\",c\n\"x");
  ASSERT_FALSE(rows.has_value());
  ASSERT_EQ(rows.error().rows.size(), 1u);
  EXPECT_EQ(rows.error().rows[0].line, 3u);
}

TEST(ParseCsv, QuoteInsideAnUnquotedFieldIsKeptAsExcelReadsIt) {
  auto rows = parse_ok("a,b\n1,2\nfoo\"bar,x\na\"b,5 1/2\"\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[2].fields, (Fields{"foo\"bar", "x"}));
  EXPECT_EQ(rows[3].fields, (Fields{"a\"b", "5 1/2\""}));
}

TEST(ParseCsv, TextAfterClosingQuoteIsAppended) {
  auto rows = parse_ok("a,b\n\"quoted\"tail,x\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"quotedtail", "x"}));
}

TEST(ParseCsv, SniffsSemicolonsFromTheHeaderOutsideQuotes) {
  const CsvDocument document = document_ok("Email;\"Name, full\";Dept\na@x.example;\"B, A\";IT\n");
  EXPECT_EQ(document.separator, ';');
  ASSERT_EQ(document.rows.size(), 2u);
  EXPECT_EQ(document.rows[1].fields, (Fields{"a@x.example", "B, A", "IT"}));
  ASSERT_EQ(document.warnings.size(), 1u);
  EXPECT_NE(document.warnings[0].reason.find("semicolons"), std::string::npos);
}

TEST(ParseCsv, SniffsTabs) {
  const CsvDocument document = document_ok("Email\tName\na@x.example\tA, B\n");
  EXPECT_EQ(document.separator, '\t');
  EXPECT_EQ(document.rows[1].fields, (Fields{"a@x.example", "A, B"}));
}

TEST(ParseCsv, CommaWinsATieAndAOneColumnFile) {
  EXPECT_EQ(document_ok("a,b;c\n").separator, ',');
  EXPECT_EQ(document_ok("email\na@x.example\n").separator, ',');
  EXPECT_TRUE(document_ok("email\na@x.example\n").warnings.empty());
}

TEST(ParseCsv, HonoursExcelsSepLine) {
  const CsvDocument document = document_ok("sep=;\r\nEmail;Name\r\na@x.example;A,B\r\n");
  EXPECT_EQ(document.separator, ';');
  ASSERT_EQ(document.rows.size(), 2u);
  EXPECT_EQ(document.rows[0].line, 2u);
  EXPECT_EQ(document.rows[1].fields, (Fields{"a@x.example", "A,B"}));
}

TEST(ParseCsv, Windows1252IsConvertedWithAWarning) {
  const CsvDocument document = document_ok("Email;Name\na@x.example;M\xFCller \x80\n");
  ASSERT_EQ(document.rows.size(), 2u);
  EXPECT_EQ(document.rows[1].fields[1], "M\u00FCller \u20AC");
  ASSERT_EQ(document.warnings.size(), 2u);
  EXPECT_EQ(document.warnings[0].line, 2u);
  EXPECT_NE(document.warnings[0].reason.find("Windows-1252"), std::string::npos);
}

TEST(ParseCsv, NotUtf8AnywhereIsReadAsWindows1252) {
  for (std::string_view text : {"a,\xC0\xAF\n", "a,\xED\xA0\x80\n", "a,b\xE2\x82"}) {
    const CsvDocument document = document_ok(text);
    ASSERT_EQ(document.rows.size(), 1u);
    ASSERT_EQ(document.warnings.size(), 1u) << text;
  }
}

TEST(ParseCsv, Utf16WithBomIsConverted) {
  const std::string_view utf16le(
      "\xFF\xFE"
      "E\0m\0a\0i\0l\0\t\0N\0\n\0a\0@\0x\0.\0e\0\t\0\xFC\0\n\0",
      2 + 2 * 16);
  const CsvDocument document = document_ok(utf16le);
  EXPECT_EQ(document.separator, '\t');
  ASSERT_EQ(document.rows.size(), 2u);
  EXPECT_EQ(document.rows[1].fields, (Fields{"a@x.e", "\u00FC"}));
  EXPECT_FALSE(parse_csv(std::string_view("\xFF\xFE"
                                          "a",
                                          3))
                   .has_value());
}

TEST(ParseCsv, TenThousandRows) {
  std::string text = "Email,First Name,Last Name\r\n";
  for (int i = 0; i < 10000; ++i) {
    text +=
        "user" + std::to_string(i) + "@example.com,\"First, " + std::to_string(i) + "\",Last\r\n";
  }
  auto rows = parse_ok(text);
  ASSERT_EQ(rows.size(), 10001u);
  EXPECT_EQ(rows[10000].line, 10001u);
  EXPECT_EQ(rows[10000].fields, (Fields{"user9999@example.com", "First, 9999", "Last"}));
  EXPECT_EQ(rows[5000].fields[1], "First, 4999");
}

}  // namespace
}  // namespace phishdrill
