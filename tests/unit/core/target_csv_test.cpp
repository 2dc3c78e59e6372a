#include "core/target_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<TargetFields> parse_ok(std::string_view csv) {
  auto targets = parse_targets_csv(csv);
  EXPECT_TRUE(targets.has_value()) << (targets ? "" : targets.error().message);
  return targets ? targets->targets : std::vector<TargetFields>{};
}

TEST(ParseTargetsCsv, GoPhishStyleFile) {
  auto targets = parse_ok(
      "First Name,Last Name,Email,Position\r\n"
      "Alice,Smith,Alice@Example.com,Accountant\r\n"
      "Bob,Jones,bob@example.com,\r\n");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].first_name, "Alice");
  EXPECT_EQ(targets[0].last_name, "Smith");
  EXPECT_EQ(targets[0].email, "alice@example.com");
  EXPECT_EQ(targets[0].position, "Accountant");
  EXPECT_EQ(targets[1].email, "bob@example.com");
  EXPECT_EQ(targets[1].position, "");
}

TEST(ParseTargetsCsv, ForgivingHeaders) {
  auto targets = parse_ok(
      "first_name,LAST-NAME,E-mail,Job Title,Dept,Manager Email,Language\n"
      "Alice,Smith,alice@example.com,CFO,Finance,boss@example.com,en-GB\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].first_name, "Alice");
  EXPECT_EQ(targets[0].last_name, "Smith");
  EXPECT_EQ(targets[0].email, "alice@example.com");
  EXPECT_EQ(targets[0].position, "CFO");
  EXPECT_EQ(targets[0].department, "Finance");
  EXPECT_EQ(targets[0].manager_email, "boss@example.com");
  EXPECT_EQ(targets[0].locale, "en-GB");
}

TEST(ParseTargetsCsv, EveryDocumentedAliasIsRecognised) {
  struct Case {
    const char* header;
    std::string TargetFields::*member;
    const char* value;
  };
  const Case cases[] = {
      {"First Name", &TargetFields::first_name, "Ann"},
      {"first_name", &TargetFields::first_name, "Ann"},
      {"FirstName", &TargetFields::first_name, "Ann"},
      {"fname", &TargetFields::first_name, "Ann"},
      {"Given Name", &TargetFields::first_name, "Ann"},
      {"Last Name", &TargetFields::last_name, "Lee"},
      {"lastname", &TargetFields::last_name, "Lee"},
      {"lname", &TargetFields::last_name, "Lee"},
      {"Surname", &TargetFields::last_name, "Lee"},
      {"Position", &TargetFields::position, "CTO"},
      {"Title", &TargetFields::position, "CTO"},
      {"Job Title", &TargetFields::position, "CTO"},
      {"jobtitle", &TargetFields::position, "CTO"},
      {"Role", &TargetFields::position, "CTO"},
      {"Department", &TargetFields::department, "R&D"},
      {"Dept", &TargetFields::department, "R&D"},
      {"Manager", &TargetFields::manager_email, "boss@example.com"},
      {"Manager Email", &TargetFields::manager_email, "boss@example.com"},
      {"manager_email", &TargetFields::manager_email, "boss@example.com"},
      {"Locale", &TargetFields::locale, "fr-CA"},
      {"Language", &TargetFields::locale, "fr-CA"},
  };
  for (const Case& c : cases) {
    const std::string csv =
        std::string("Email,") + c.header + "\nann@example.com," + c.value + "\n";
    auto targets = parse_targets_csv(csv);
    ASSERT_TRUE(targets.has_value()) << c.header << ": " << targets.error().message;
    ASSERT_EQ(targets->targets.size(), 1u);
    EXPECT_EQ(targets->targets[0].*(c.member), c.value) << c.header;
  }
}

TEST(ParseTargetsCsv, EmailHeaderAliases) {
  for (const char* header : {"Email", "email", "EMAIL", "E-mail", "e_mail", "Email Address",
                             "E-mail Address", "email_address", "Mail", " Email "}) {
    const std::string csv = std::string("Name,") + header + "\nX,x@example.com\n";
    auto targets = parse_targets_csv(csv);
    ASSERT_TRUE(targets.has_value()) << header << ": " << targets.error().message;
    ASSERT_EQ(targets->targets.size(), 1u) << header;
    EXPECT_EQ(targets->targets[0].email, "x@example.com") << header;
  }
}

TEST(ParseTargetsCsv, UnknownColumnsAreIgnored) {
  auto targets = parse_ok("Employee ID,Email,Cost Centre\n42,a@example.com,CC-7\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].email, "a@example.com");
  EXPECT_EQ(targets[0].first_name, "");
}

TEST(ParseTargetsCsv, BomCrlfAndQuotedFields) {
  auto targets = parse_ok(
      "\xEF\xBB\xBF\"Email\",\"Last Name\",\"First Name\"\r\n"
      "\"o'brien@example.ie\",\"O'Brien, Jr.\",\"Se\xC3\xA1n \"\"Jack\"\"\"\r\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].email, "o'brien@example.ie");
  EXPECT_EQ(targets[0].last_name, "O'Brien, Jr.");
  EXPECT_EQ(targets[0].first_name, "Se\xC3\xA1n \"Jack\"");
}

TEST(ParseTargetsCsv, FieldsAreTrimmed) {
  auto targets = parse_ok("Email,First Name\n  A@Example.com  ,  Alice \n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].email, "a@example.com");
  EXPECT_EQ(targets[0].first_name, "Alice");
}

TEST(ParseTargetsCsv, HtmlAndTemplateSyntaxInNamesIsKept) {
  auto targets = parse_ok("Email,First Name\nx@example.com,<script>{{.Email}}</script>\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].first_name, "<script>{{.Email}}</script>");
}

TEST(ParseTargetsCsv, BlankAndAllEmptyRowsAreSkipped) {
  auto targets = parse_ok("Email,Name\n\na@example.com,A\n,\n  ,\t\n\nb@example.com,B\n,\n");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[1].email, "b@example.com");
}

TEST(ParseTargetsCsv, EmptyFile) {
  for (std::string_view csv : {"", "\xEF\xBB\xBF", "\r\n\r\n"}) {
    auto targets = parse_targets_csv(csv);
    ASSERT_FALSE(targets.has_value());
    EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
    EXPECT_EQ(targets.error().message, "the file is empty");
    EXPECT_TRUE(targets.error().rows.empty());
  }
}

TEST(ParseTargetsCsv, HeaderWithoutRows) {
  auto targets = parse_targets_csv("Email,First Name\r\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  EXPECT_EQ(targets.error().message, "the file has a header but no rows");
}

TEST(ParseTargetsCsv, HeaderWithOnlyBlankRowsCountsAsNoRows) {
  // Spreadsheet exports end in ",," rows; a file of nothing else imports nobody.
  auto targets = parse_targets_csv("Email,First Name\r\n,\r\n , \r\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  EXPECT_EQ(targets.error().message, "the file has a header but no rows");
}

TEST(ParseTargetsCsv, MissingEmailColumn) {
  auto targets = parse_targets_csv("First Name,Last Name\nAlice,Smith\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  EXPECT_EQ(targets.error().message,
            "the header has no email column (expected a column named Email)");
  ASSERT_EQ(targets.error().rows.size(), 1u);
  EXPECT_EQ(targets.error().rows[0].line, 1u);
  EXPECT_EQ(targets.error().rows[0].field, "email");
}

TEST(ParseTargetsCsv, FileWithoutHeaderIsMissingEmailColumn) {
  auto targets = parse_targets_csv("alice@example.com,Alice\nbob@example.com,Bob\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  EXPECT_TRUE(contains(targets.error().message, "no email column"));
}

TEST(ParseTargetsCsv, InvalidEmailRow) {
  auto targets = parse_targets_csv(
      "Email,First Name\n"
      "alice@example.com,Alice\n"
      "bob@,Bob\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  ASSERT_EQ(targets.error().rows.size(), 1u);
  const RowIssue& issue = targets.error().rows[0];
  EXPECT_EQ(issue.line, 3u);
  EXPECT_EQ(issue.field, "email");
  EXPECT_EQ(issue.reason, "\"bob@\" is not a valid email address");
  EXPECT_TRUE(contains(targets.error().message, "1 row"));
}

TEST(ParseTargetsCsv, MissingEmailValue) {
  auto targets = parse_targets_csv("Email,First Name\n,Alice\n");
  ASSERT_FALSE(targets.has_value());
  ASSERT_EQ(targets.error().rows.size(), 1u);
  EXPECT_EQ(targets.error().rows[0].line, 2u);
  EXPECT_EQ(targets.error().rows[0].field, "email");
}

TEST(ParseTargetsCsv, BadValueIsEchoedAtMost80Characters) {
  const std::string long_value(500, 'q');
  auto targets = parse_targets_csv("Email\n" + long_value + "\n");
  ASSERT_FALSE(targets.has_value());
  ASSERT_EQ(targets.error().rows.size(), 1u);
  const std::string& reason = targets.error().rows[0].reason;
  EXPECT_TRUE(contains(reason, std::string(80, 'q')));
  EXPECT_FALSE(contains(reason, std::string(81, 'q')));
}

TEST(ParseTargetsCsv, RowIssueFieldsArePlainColumnNames) {
  auto targets = parse_targets_csv(
      "Email,First Name,Last Name,Title,Dept,Manager,Locale\n"
      "a@example.com,\"A\nB\x01\",x,x,x,,\n"
      "b@example.com,x,x,x,x,boss@,\n"
      "c@example.com,x,x,x,x,,en_US\n"
      "d@example.com,x,x,x," +
      std::string(201, 'd') + ",,\n");
  ASSERT_FALSE(targets.has_value());
  const auto& rows = targets.error().rows;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[0].field, "first_name");
  EXPECT_EQ(rows[1].line, 4u);  // the quoted line break moved it down
  EXPECT_EQ(rows[1].field, "manager_email");
  EXPECT_EQ(rows[2].line, 5u);
  EXPECT_EQ(rows[2].field, "locale");
  EXPECT_EQ(rows[3].line, 6u);
  EXPECT_EQ(rows[3].field, "department");
  EXPECT_TRUE(contains(rows[3].reason, "200"));
  EXPECT_TRUE(contains(targets.error().message, "4 rows"));
}

TEST(ParseTargetsCsv, RaggedRows) {
  auto targets = parse_targets_csv(
      "Email,First Name,Last Name,Position,Department\n"
      "a@example.com,A,A,A,A\n"
      "b@example.com,B,B\n"
      "c@example.com,C,C,C,C,extra\n"
      "d@example.com\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  const auto& rows = targets.error().rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_EQ(rows[0].reason, "has 3 fields, the header has 5");
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_EQ(rows[1].reason, "has 6 fields, the header has 5");
  EXPECT_EQ(rows[2].line, 5u);
  EXPECT_EQ(rows[2].reason, "has 1 field, the header has 5");
}

TEST(ParseTargetsCsv, DuplicateEmails) {
  auto targets = parse_targets_csv(
      "Email,First Name\n"
      "alice@example.com,Alice\n"
      "bob@example.com,Bob\n"
      "ALICE@example.com ,Alice again\n"
      "alice@example.com,Alice thrice\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  const auto& rows = targets.error().rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 4u);
  EXPECT_EQ(rows[0].field, "email");
  EXPECT_TRUE(contains(rows[0].reason, "duplicate of line 2")) << rows[0].reason;
  EXPECT_TRUE(contains(rows[0].reason, "first seen")) << rows[0].reason;
  EXPECT_EQ(rows[1].line, 5u);
  EXPECT_TRUE(contains(rows[1].reason, "duplicate of line 2")) << rows[1].reason;
}

TEST(ParseTargetsCsv, FirstMatchingColumnWins) {
  auto targets = parse_ok("Email,E-mail\na@example.com,not an email\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].email, "a@example.com");
}

TEST(ParseTargetsCsv, CsvSyntaxErrorsPassThrough) {
  auto targets = parse_targets_csv("Email\na@example.com\n\"b@example.com\n");
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().code, ErrorCode::kInvalidCsv);
  ASSERT_EQ(targets.error().rows.size(), 1u);
  EXPECT_EQ(targets.error().rows[0].line, 3u);
}

TEST(ParseTargetsCsv, Windows1252FileIsImportedWithAWarning) {
  auto imported = parse_targets_csv("Email;Last Name\na@example.com;M\xFCller\n");
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  ASSERT_EQ(imported->targets.size(), 1u);
  EXPECT_EQ(imported->targets[0].last_name, "M\u00FCller");
  ASSERT_EQ(imported->warnings.size(), 2u);
  EXPECT_EQ(imported->warnings[0].line, 2u);
  EXPECT_TRUE(contains(imported->warnings[0].reason, "Windows-1252"));
  EXPECT_TRUE(contains(imported->warnings[1].reason, "semicolons"));
}

TEST(ParseTargetsCsv, SemicolonFileAsExcelWritesItInEurope) {
  auto targets = parse_ok(
      "First Name;Last Name;E-Mail;Department\r\n"
      "J\xC3\xBCrgen;Gro\xC3\x9F;j.gross@example.de;\"Einkauf; Nord\"\r\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].email, "j.gross@example.de");
  EXPECT_EQ(targets[0].department, "Einkauf; Nord");
}

TEST(ParseTargetsCsv, EuropeanHeaderNames) {
  auto targets = parse_ok(
      "Vorname;Nachname;E-Mail-Adresse;Abteilung\r\n"
      "J\xC3\xBCrgen;Gro\xC3\x9F;j.gross@example.de;Einkauf\r\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].first_name, "J\u00FCrgen");
  EXPECT_EQ(targets[0].last_name, "Gro\u00DF");
  EXPECT_EQ(targets[0].department, "Einkauf");
}

TEST(ParseTargetsCsv, QuoteInsideAnUnquotedCellIsAccepted) {
  auto targets = parse_ok("Email,First Name,Position\na@example.com,a\"b,6' 2\" tall\n");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].first_name, "a\"b");
  EXPECT_EQ(targets[0].position, "6' 2\" tall");
}

TEST(ParseTargetsCsv, LineBreaksInCellsBecomeSpacesWithAWarning) {
  auto imported = parse_targets_csv(
      "Email,First Name,Department\n"
      "a@example.com,\"Anna\r\nMaria\",\"Sales\nEMEA\"\n"
      "b@example.com,Bob,IT\n");
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  ASSERT_EQ(imported->targets.size(), 2u);
  EXPECT_EQ(imported->targets[0].first_name, "Anna Maria");
  EXPECT_EQ(imported->targets[0].department, "Sales EMEA");
  ASSERT_EQ(imported->warnings.size(), 2u);
  EXPECT_EQ(imported->warnings[0].line, 2u);
  EXPECT_EQ(imported->warnings[0].field, "first_name");
  EXPECT_EQ(imported->warnings[1].field, "department");
}

TEST(ParseTargetsCsv, InternationalisedDomainIsAccepted) {
  auto targets = parse_ok(
      "Email\nbo@b\xC3\xBC"
      "cher.example\nBO@B\xC3\x9C"
      "CHER2.example\n");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].email, "bo@b\u00FCcher.example");
  EXPECT_EQ(targets[1].email, "bo@b\u00FCcher2.example");
}

TEST(ParseTargetsCsv, AllOrNothing) {
  std::string csv = "Email\n";
  for (int i = 0; i < 100; ++i) csv += "user" + std::to_string(i) + "@example.com\n";
  csv += "broken\n";
  auto targets = parse_targets_csv(csv);
  ASSERT_FALSE(targets.has_value());
  ASSERT_EQ(targets.error().rows.size(), 1u);
  EXPECT_EQ(targets.error().rows[0].line, 102u);
}

TEST(ParseTargetsCsv, AtMost1000IssuesAreReported) {
  std::string csv = "Email\n";
  for (int i = 0; i < 1500; ++i) csv += "bad" + std::to_string(i) + "\n";
  auto targets = parse_targets_csv(csv);
  ASSERT_FALSE(targets.has_value());
  EXPECT_EQ(targets.error().rows.size(), 1000u);
  EXPECT_EQ(targets.error().rows.back().line, 1001u);
  EXPECT_TRUE(contains(targets.error().message, "1500")) << targets.error().message;
  EXPECT_TRUE(contains(targets.error().message, "1000")) << targets.error().message;
}

TEST(ParseTargetsCsv, TenThousandRows) {
  std::string csv =
      "\xEF\xBB\xBF"
      "Email,First Name,Last Name,Position,Department\r\n";
  for (int i = 0; i < 10000; ++i) {
    const std::string n = std::to_string(i);
    csv += "User" + n + "@Example.com,First" + n + ",\"Last, " + n + "\",Analyst,Dept " +
           std::to_string(i % 17) + "\r\n";
  }
  auto targets = parse_ok(csv);
  ASSERT_EQ(targets.size(), 10000u);
  EXPECT_EQ(targets[0].email, "user0@example.com");
  EXPECT_EQ(targets[9999].email, "user9999@example.com");
  EXPECT_EQ(targets[9999].last_name, "Last, 9999");
  EXPECT_EQ(targets[9999].department, "Dept 3");
}

}  // namespace
}  // namespace phishdrill
