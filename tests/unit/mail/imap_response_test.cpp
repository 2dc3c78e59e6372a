#include "mail/imap_response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill {
namespace {

using Uids = std::vector<std::uint32_t>;

TEST(ImapLines, SplitsAtLineEnds) {
  EXPECT_EQ(imap_lines("a\r\nb\nc"), (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(imap_lines("a\r\n"), (std::vector<std::string_view>{"a"}));
  EXPECT_TRUE(imap_lines("").empty());
}

TEST(ImapSearch, ReadsUidsAndSkipsUnaskedResponses) {
  EXPECT_EQ(parse_imap_search("* SEARCH 2 3 17\r\n").value(), (Uids{2, 3, 17}));
  EXPECT_EQ(parse_imap_search("* 4 EXISTS\r\n* search 5\r\n* 1 EXPUNGE\r\n").value(), (Uids{5}));
  EXPECT_EQ(parse_imap_search("* SEARCH\r\n").value(), Uids{});
  EXPECT_EQ(parse_imap_search("* SEARCH \r\n").value(), Uids{});
  EXPECT_EQ(parse_imap_search("* SEARCH 4294967295\r\n").value(), (Uids{4294967295u}));
  // Some servers split a long result over several lines.
  EXPECT_EQ(parse_imap_search("* SEARCH 1 2\r\n* SEARCH 3\r\n").value(), (Uids{1, 2, 3}));
}

TEST(ImapSearch, MalformedAnswersAreErrors) {
  for (const std::string& answer :
       {std::string(), std::string("* 3 EXISTS\r\n"), std::string("* SEARCH 1 x\r\n"),
        std::string("* SEARCH 0\r\n"), std::string("* SEARCH -1\r\n"),
        std::string("* SEARCH +1\r\n"), std::string("* SEARCH 4294967296\r\n"),
        std::string("* SEARCH 99999999999999999999999\r\n"), std::string("* SEARCH 1,2\r\n"),
        std::string("* SEARCH 1 (MODSEQ 3)\r\n"), std::string("* SEARCHING 1\r\n")}) {
    const auto result = parse_imap_search(answer);
    ASSERT_FALSE(result.has_value()) << answer;
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(result.error().message.find("SEARCH response is malformed"), std::string::npos);
  }
}

TEST(ImapSearch, HugeAnswerIsRead) {
  std::string answer = "* SEARCH";
  for (int uid = 1; uid <= 100000; ++uid) answer += " " + std::to_string(uid);
  answer += "\r\n";
  const auto uids = parse_imap_search(answer);
  ASSERT_TRUE(uids.has_value());
  ASSERT_EQ(uids->size(), 100000u);
  EXPECT_EQ(uids->back(), 100000u);
}

TEST(ImapFetch, ReadsUidSizeAndFlagsInAnyOrder) {
  const auto a = parse_imap_fetch("* 2 FETCH (UID 7 FLAGS (\\Seen $Done) RFC822.SIZE 89)\r\n", 7);
  ASSERT_TRUE(a.has_value() && a->has_value());
  EXPECT_EQ((*a)->uid, 7u);
  EXPECT_EQ((*a)->size, 89u);
  EXPECT_EQ((*a)->flags, (std::vector<std::string>{"\\Seen", "$Done"}));

  const auto b = parse_imap_fetch("* 1 fetch (rfc822.size 5 flags () uid 3)\r\n", 3);
  ASSERT_TRUE(b.has_value() && b->has_value());
  EXPECT_EQ((*b)->size, 5u);
  EXPECT_EQ((*b)->flags, std::vector<std::string>{});
}

TEST(ImapFetch, SkipsOtherMessagesAndOtherItems) {
  const std::string answer =
      "* 5 EXISTS\r\n"
      "* 1 FETCH (FLAGS (\\Seen))\r\n"  // another client's change, no UID
      "* 3 FETCH (UID 9 FLAGS (\\Deleted))\r\n"
      "* 4 FETCH (UID 10 MODSEQ (12345) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
      "BODY[HEADER.FIELDS (FROM)] NIL RFC822.SIZE 1234 FLAGS (\\Answered))\r\n";
  const auto found = parse_imap_fetch(answer, 10);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->size, 1234u);
  EXPECT_EQ((*found)->flags, std::vector<std::string>{"\\Answered"});
  // No line for the UID: the message is not there.
  const auto missing = parse_imap_fetch(answer, 11);
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
  EXPECT_FALSE(parse_imap_fetch("", 1).value().has_value());
}

TEST(ImapFetch, MergesAttributesSplitOverLines) {
  const auto found = parse_imap_fetch(
      "* 2 FETCH (UID 4 FLAGS (\\Seen))\r\n* 2 FETCH (UID 4 RFC822.SIZE 10)\r\n", 4);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->size, 10u);
  EXPECT_EQ((*found)->flags, std::vector<std::string>{"\\Seen"});
}

TEST(ImapFetch, MalformedLinesAreErrors) {
  std::string deep = "* 1 FETCH (UID 1 X ";
  for (int i = 0; i < 20; ++i) deep += "(";
  for (int i = 0; i < 20; ++i) deep += ")";
  deep += ")";
  for (const std::string& answer :
       {std::string("* 1 FETCH UID 1\r\n"), std::string("* 1 FETCH (UID 1\r\n"),
        std::string("* 1 FETCH (UID x)\r\n"), std::string("* 1 FETCH (UID 0)\r\n"),
        std::string("* 1 FETCH (UID 4294967296)\r\n"), std::string("* 1 FETCH (UID (1))\r\n"),
        std::string("* 1 FETCH (UID 1 RFC822.SIZE -5)\r\n"),
        std::string("* 1 FETCH (UID 1 RFC822.SIZE 99999999999999999999)\r\n"),
        std::string("* 1 FETCH (UID 1 FLAGS \\Seen)\r\n"),
        std::string("* 1 FETCH (UID 1 BODY[] {5}\r\n"),
        std::string("* 1 FETCH (UID 1 X \"unterminated)\r\n"),
        std::string("* 1 FETCH (UID 1 BODY[HEADER NIL)\r\n"),
        std::string("* 1 FETCH (UID 1)trailing\r\n"), std::string("* 1 FETCH (UID  1)\r\n"),
        std::string("* 1 FETCH (UID 1 X \x01)\r\n"), deep}) {
    const auto result = parse_imap_fetch(answer, 1);
    ASSERT_FALSE(result.has_value()) << answer;
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(result.error().message.find("FETCH response is malformed"), std::string::npos);
  }
}

TEST(ImapFetch, QuotedStringsMayHoldParenthesesAndEscapes) {
  const auto found = parse_imap_fetch("* 1 FETCH (X \"a ) \\\" ( b\" UID 2 RFC822.SIZE 3)\r\n", 2);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->size, 3u);
}

TEST(ImapCapabilities, UpperCaseNames) {
  EXPECT_EQ(parse_imap_capabilities("* CAPABILITY IMAP4rev1 uidplus MOVE\r\n* 3 EXISTS\r\n"),
            (std::vector<std::string>{"IMAP4REV1", "UIDPLUS", "MOVE"}));
  EXPECT_TRUE(parse_imap_capabilities("* OK nothing\r\n").empty());
  // Absurdly long names are dropped, not kept.
  EXPECT_TRUE(parse_imap_capabilities("* CAPABILITY " + std::string(65, 'X') + "\r\n").empty());
}

TEST(ImapSelect, ExistsAndUidValidity) {
  EXPECT_EQ(parse_imap_exists("* 12 EXISTS"), 12u);
  EXPECT_EQ(parse_imap_exists("* 0 exists"), 0u);
  EXPECT_FALSE(parse_imap_exists("* 12 RECENT").has_value());
  EXPECT_FALSE(parse_imap_exists("* x EXISTS").has_value());
  EXPECT_FALSE(parse_imap_exists("* 4294967296 EXISTS").has_value());
  EXPECT_FALSE(parse_imap_exists("A1 12 EXISTS").has_value());

  EXPECT_EQ(parse_imap_uid_validity("* OK [UIDVALIDITY 3857529045] UIDs valid"), 3857529045u);
  EXPECT_FALSE(parse_imap_uid_validity("* OK [UIDVALIDITY 0] x").has_value());
  EXPECT_FALSE(parse_imap_uid_validity("* OK [UIDVALIDITY 4294967296] x").has_value());
  EXPECT_FALSE(parse_imap_uid_validity("* OK [UIDVALIDITY 12 x").has_value());
  EXPECT_FALSE(parse_imap_uid_validity("* OK [UIDNEXT 4] x").has_value());
  EXPECT_FALSE(parse_imap_uid_validity("A3 OK [UIDVALIDITY 5] x").has_value());
}

}  // namespace
}  // namespace phishdrill
