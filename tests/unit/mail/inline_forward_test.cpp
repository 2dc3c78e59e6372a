#include "mail/inline_forward.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(InlineForwardTest, OutlookBlockWithoutMarker) {
  const std::string text =
      "FYI\r\n\r\n"
      "From: \"Payroll, HR\" <Payroll@Examp1e.example>\r\n"
      "Sent: Monday, March 3, 2025 9:14 AM\r\n"
      "To: Ada <ada@example.org>\r\n"
      "Cc: Bob <bob@example.org>\r\n"
      "Importance: High\r\n"
      "Subject: Update your details\r\n"
      "\r\n"
      "Body\r\n";
  const std::vector<ForwardBlock> blocks = find_forward_blocks(text, 10);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].begin, text.find("From:"));
  EXPECT_FALSE(blocks[0].marked);
  EXPECT_EQ(blocks[0].body_begin, text.find("\r\nBody"));
  EXPECT_EQ(blocks[0].from_name, "Payroll, HR");
  EXPECT_EQ(blocks[0].from_address, "payroll@examp1e.example");
  EXPECT_EQ(blocks[0].subject, "Update your details");
  EXPECT_EQ(blocks[0].date, "Monday, March 3, 2025 9:14 AM");
  EXPECT_EQ(blocks[0].to, "Ada <ada@example.org>");
  EXPECT_EQ(unquote(std::string_view(text).substr(blocks[0].body_begin), 0), "Body\r\n");
}

TEST(InlineForwardTest, LocalisedFieldNamesAndMarkers) {
  const std::string german =
      "-----Ursprüngliche Nachricht-----\n"
      "Von: Buchhaltung <buchhaltung@rechnung.example>\n"
      "Gesendet: Montag, 3. März 2025 09:14\n"
      "An: Ada\n"
      "Betreff: Offene Rechnung\n"
      "\nText\n";
  std::vector<ForwardBlock> blocks = find_forward_blocks(german, 10);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].begin, 0u);
  EXPECT_TRUE(blocks[0].marked);
  EXPECT_EQ(blocks[0].from_address, "buchhaltung@rechnung.example");
  EXPECT_EQ(blocks[0].subject, "Offene Rechnung");
  EXPECT_EQ(blocks[0].date, "Montag, 3. März 2025 09:14");

  // French puts a (no-break) space before the colon.
  const std::string french =
      "---------- Message transféré ---------\n"
      "De\xc2\xa0: Banque <alerte@banque.example>\n"
      "Date : lun. 3 mars 2025 à 09:14\n"
      "Objet : Compte bloqué\n"
      "À : ada@example.org\n";
  blocks = find_forward_blocks(french, 10);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].from_name, "Banque");
  EXPECT_EQ(blocks[0].subject, "Compte bloqué");
  EXPECT_EQ(blocks[0].to, "ada@example.org");

  // German Apple Mail: a marker ending in ':' and two fields are enough.
  blocks = find_forward_blocks(
      "Anfang der weitergeleiteten Nachricht:\n\nVon: Bank <b@bank.example>\nBetreff: Konto\n", 10);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_TRUE(blocks[0].marked);
  EXPECT_EQ(blocks[0].subject, "Konto");
}

TEST(InlineForwardTest, FromForms) {
  const auto from_of = [](const std::string& value) {
    const std::vector<ForwardBlock> blocks =
        find_forward_blocks("From: " + value + "\nDate: x\nSubject: y\n", 1);
    return blocks.empty() ? ForwardBlock{} : blocks[0];
  };
  EXPECT_EQ(from_of("a@b.example").from_address, "a@b.example");
  EXPECT_EQ(from_of("a@b.example").from_name, "");
  EXPECT_EQ(from_of("<a@b.example>").from_address, "a@b.example");
  EXPECT_EQ(from_of("<a@b.example>").from_name, "");
  EXPECT_EQ(from_of("Name Only").from_name, "Name Only");
  EXPECT_EQ(from_of("Name Only").from_address, "");
  EXPECT_EQ(from_of("Name [mailto:A@B.example]").from_address, "a@b.example");
  EXPECT_EQ(from_of("Name <a@b.example<mailto:a@b.example>>").from_address, "a@b.example");
  EXPECT_EQ(from_of("Name <a@b.example<mailto:a@b.example>>").from_name, "Name");
  EXPECT_EQ(from_of("'Quoted' <a@b.example>").from_name, "Quoted");
  EXPECT_EQ(from_of("a@b.example <a@b.example>").from_name, "");
  EXPECT_EQ(from_of("Broken <not an address>").from_address, "");
}

TEST(InlineForwardTest, NestedBlocksAreFoundInOrderWithTheirQuoteDepth) {
  const std::string text =
      "Begin forwarded message:\n\n"
      "> From: Bob <bob@example.org>\n"
      "> Subject: Fwd: x\n"
      "> Date: 4 March 2025 at 09:00:00 GMT\n"
      ">\n"
      "> > From: Evil <e@evil.example>\n"
      "> > Subject: x\n"
      "> > Date: 3 March 2025 at 09:00:00 GMT\n"
      "> >\n"
      "> > pay now\n";
  const std::vector<ForwardBlock> blocks = find_forward_blocks(text, 10);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].begin, 0u);
  EXPECT_EQ(blocks[0].quote_depth, 1);
  EXPECT_EQ(blocks[1].from_address, "e@evil.example");
  EXPECT_EQ(blocks[1].quote_depth, 2);
  EXPECT_EQ(blocks[1].begin, text.find("> > From:"));
  EXPECT_EQ(unquote(std::string_view(text).substr(blocks[1].body_begin), 2), "pay now\n");
  EXPECT_EQ(find_forward_blocks(text, 1).size(), 1u);
}

TEST(InlineForwardTest, WhatIsNoHeaderBlock) {
  // Two fields without a marker, no From, no subject or date, a marker too far above.
  EXPECT_TRUE(find_forward_blocks("From: a@b.example\nSubject: hi\n\nbody\n", 10).empty());
  EXPECT_TRUE(
      find_forward_blocks("-----Original Message-----\nTo: a\nSubject: b\nSent: c\n", 10).empty());
  EXPECT_TRUE(find_forward_blocks("-----Original Message-----\nFrom: a\nTo: b\n", 10).empty());
  EXPECT_TRUE(
      find_forward_blocks("-----Original Message-----\n\n\n\n\nFrom: a\nSubject: b\n", 10).empty());
  EXPECT_TRUE(find_forward_blocks("On Mon, Ada wrote:\n> hello\n", 10).empty());
  EXPECT_TRUE(find_forward_blocks("", 10).empty());
  // With its marker two fields are enough.
  EXPECT_EQ(find_forward_blocks("-----Original Message-----\nFrom: a\nSubject: b\n", 10).size(),
            1u);
}

TEST(InlineForwardTest, LongRunsOfFieldLinesAreReadOnce) {
  // A hostile body: a million field lines with no From; each line must not
  // start a fresh scan of the rest.
  std::string text;
  for (int i = 0; i < 1'000'000; ++i) text += "To: x\n";
  text += "-----Original Message-----\nFrom: a\nSubject: b\n";
  const std::vector<ForwardBlock> blocks = find_forward_blocks(text, 10);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].subject, "b");
}

TEST(InlineForwardTest, UnquoteRemovesOnlyTheGivenDepth) {
  EXPECT_EQ(unquote("\n\n> a\n>> b\n> > c\nd\n", 1), "a\n> b\n> c\nd\n");
  EXPECT_EQ(unquote("> a\n", 0), "> a\n");
  EXPECT_EQ(unquote("", 3), "");
}

}  // namespace
}  // namespace phishdrill
