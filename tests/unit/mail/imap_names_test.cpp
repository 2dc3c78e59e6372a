#include "mail/imap_names.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

TEST(ImapFolderName, AsciiStaysAsItIs) {
  EXPECT_EQ(encode_imap_folder("INBOX").value(), "INBOX");
  EXPECT_EQ(encode_imap_folder("Phishdrill/Done").value(), "Phishdrill/Done");
  EXPECT_EQ(encode_imap_folder("a \"b\" \\c").value(), "a \"b\" \\c");
}

TEST(ImapFolderName, AmpersandIsEscaped) {
  EXPECT_EQ(encode_imap_folder("R&D").value(), "R&-D");
  EXPECT_EQ(encode_imap_folder("&").value(), "&-");
}

TEST(ImapFolderName, NonAsciiIsModifiedUtf7) {
  // The example of RFC 3501 5.1.3.
  EXPECT_EQ(encode_imap_folder("~peter/mail/台北/日本語").value(),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
  EXPECT_EQ(encode_imap_folder("Entwürfe").value(), "Entw&APw-rfe");
  // Outside the BMP: a UTF-16 surrogate pair.
  EXPECT_EQ(encode_imap_folder("😀").value(), "&2D3eAA-");
  // A run of non-ASCII ends where ASCII resumes, and a new run starts after.
  EXPECT_EQ(encode_imap_folder("ü-ü").value(), "&APw--&APw-");
}

TEST(ImapFolderName, BadNamesAreRefused) {
  for (const std::string& name :
       {std::string(), std::string("a\r\nb"), std::string("a\0b", 3), std::string("tab\there"),
        std::string("del\x7f"), std::string("c1\xc2\x85"), std::string("\xff\xfe"),
        std::string("\xed\xa0\x80"), std::string(201, 'x')}) {
    const auto result = encode_imap_folder(name);
    ASSERT_FALSE(result.has_value()) << name;
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().field, "folder");
  }
  EXPECT_TRUE(encode_imap_folder(std::string(200, 'x')).has_value());
  // The limit counts characters, not bytes.
  std::string long_name;
  for (int i = 0; i < 200; ++i) long_name += "ü";
  EXPECT_TRUE(encode_imap_folder(long_name).has_value());
}

TEST(ImapQuoted, EscapesQuoteAndBackslash) {
  EXPECT_EQ(imap_quoted("INBOX"), "\"INBOX\"");
  EXPECT_EQ(imap_quoted("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(imap_quoted(""), "\"\"");
}

TEST(ImapKeyword, AtomsPassOthersDoNot) {
  EXPECT_TRUE(check_imap_keyword("$PhishdrillDone").has_value());
  EXPECT_TRUE(check_imap_keyword("Junk_2024.done-x").has_value());
  EXPECT_TRUE(check_imap_keyword(std::string(64, 'k')).has_value());
  for (const std::string& keyword :
       {std::string(), std::string("two words"), std::string("\\Seen"), std::string("a(b"),
        std::string("a)b"), std::string("a{3}"), std::string("a%"), std::string("a*"),
        std::string("a\"b"), std::string("a]b"), std::string("line\r\nA1 DELETE INBOX"),
        std::string("ü"), std::string(65, 'k')}) {
    const auto result = check_imap_keyword(keyword);
    ASSERT_FALSE(result.has_value()) << keyword;
    EXPECT_EQ(result.error().field, "keyword");
  }
}

TEST(ImapFlagList, SystemFlagsAndKeywords) {
  EXPECT_EQ(imap_flag_list("\\Seen").value(), "(\\Seen)");
  EXPECT_EQ(imap_flag_list("  \\seen   $PhishdrillDone ").value(), "(\\Seen $PhishdrillDone)");
  EXPECT_EQ(imap_flag_list("\\FLAGGED \\Deleted \\Answered \\Draft").value(),
            "(\\Flagged \\Deleted \\Answered \\Draft)");
}

TEST(ImapFlagList, RefusesWhatAClientCannotSetOrThatWouldInject) {
  for (const std::string& flags : {std::string(), std::string("   "), std::string("\\Recent"),
                                   std::string("\\*"), std::string("\\Unknown"), std::string("a)"),
                                   std::string("$Done\r\nA1 LOGOUT"), std::string("(\\Seen)")}) {
    const auto result = imap_flag_list(flags);
    ASSERT_FALSE(result.has_value()) << flags;
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().field, "flags");
  }
  std::string many;
  for (int i = 0; i < 17; ++i) many += " k" + std::to_string(i);
  EXPECT_FALSE(imap_flag_list(many).has_value());
  many = "";
  for (int i = 0; i < 16; ++i) many += " k" + std::to_string(i);
  EXPECT_TRUE(imap_flag_list(many).has_value());
}

}  // namespace
TEST(ImapUidSet, RunsBecomeRangesInOrder) {
  const std::vector<std::uint32_t> uids{7, 3, 4, 5, 9, 4, 10, 12};
  EXPECT_EQ(imap_uid_set(uids).value(), "3:5,7,9:10,12");
  const std::vector<std::uint32_t> one{42};
  EXPECT_EQ(imap_uid_set(one).value(), "42");
  EXPECT_EQ(imap_uid_set({}).error().field, "uid");
  const std::vector<std::uint32_t> zero{0, 1};
  EXPECT_EQ(imap_uid_set(zero).error().code, ErrorCode::kValidation);
}

}  // namespace phishdrill
