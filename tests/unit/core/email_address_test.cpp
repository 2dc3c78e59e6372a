#include "core/email_address.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(IsValidEmail, AcceptsOrdinaryAddresses) {
  EXPECT_TRUE(is_valid_email("alice@example.com"));
  EXPECT_TRUE(is_valid_email("Alice.Smith@Example.COM"));
  EXPECT_TRUE(is_valid_email("a@b.co"));
  EXPECT_TRUE(is_valid_email("first.last+tag@mail.example.co.uk"));
  EXPECT_TRUE(is_valid_email("o'brien@example.ie"));
  EXPECT_TRUE(is_valid_email("!#$%&'*+-/=?^_`{|}~@example.com"));
  EXPECT_TRUE(is_valid_email("user@xn--bcher-kva.example"));
  EXPECT_TRUE(is_valid_email("user@my-host.example-domain.org"));
  EXPECT_TRUE(is_valid_email("123@456.example"));
}

TEST(IsValidEmail, RejectsMissingParts) {
  EXPECT_FALSE(is_valid_email(""));
  EXPECT_FALSE(is_valid_email("alice"));
  EXPECT_FALSE(is_valid_email("bob@"));
  EXPECT_FALSE(is_valid_email("@example.com"));
  EXPECT_FALSE(is_valid_email("alice@localhost"));  // needs a dot in the domain
  EXPECT_FALSE(is_valid_email("alice@@example.com"));
  EXPECT_FALSE(is_valid_email("a@b@example.com"));
}

TEST(IsValidEmail, RejectsBadLocalParts) {
  EXPECT_FALSE(is_valid_email(".alice@example.com"));
  EXPECT_FALSE(is_valid_email("alice.@example.com"));
  EXPECT_FALSE(is_valid_email("al..ice@example.com"));
  EXPECT_FALSE(is_valid_email("al ice@example.com"));
  EXPECT_FALSE(is_valid_email("\"alice\"@example.com"));  // quoted forms are not accepted
  EXPECT_FALSE(is_valid_email("al(ice)@example.com"));
  EXPECT_FALSE(is_valid_email("al,ice@example.com"));
  EXPECT_FALSE(is_valid_email("jos\xE9@example.com"));  // not UTF-8
  EXPECT_FALSE(is_valid_email("<alice@example.com>"));
}

TEST(IsValidEmail, AcceptsInternationalisedAddresses) {
  EXPECT_TRUE(is_valid_email("bo@b\u00FCcher.example"));
  EXPECT_TRUE(is_valid_email("user@\u4F8B\u3048.\u30C6\u30B9\u30C8"));
  EXPECT_TRUE(is_valid_email("jos\u00E9@example.com"));  // RFC 6531, sent only with SMTPUTF8
  EXPECT_FALSE(is_valid_email("bo@b\u00FCcher"));        // still needs a dot
  EXPECT_FALSE(is_valid_email("bo@-b\u00FCcher.example"));
  EXPECT_FALSE(is_valid_email("bo@b\u00FC_cher.example"));
}

TEST(NormalizeEmail, InternationalisedDomainInCanonicalUnicode) {
  EXPECT_EQ(normalize_email(" Bo@B\u00DCCHER.Example "), "bo@b\u00FCcher.example");
  EXPECT_EQ(normalize_email("bo@xn--bcher-kva.example"), "bo@xn--bcher-kva.example");
}

TEST(EmailToAscii, DomainInALabels) {
  auto ascii = email_to_ascii("bo@b\u00FCcher.example");
  ASSERT_TRUE(ascii.has_value());
  EXPECT_EQ(*ascii, "bo@xn--bcher-kva.example");
  EXPECT_EQ(*email_to_ascii("a@example.com"), "a@example.com");
  EXPECT_FALSE(email_to_ascii("jos\u00E9@example.com").has_value());
}

TEST(IsValidEmail, RejectsBadDomains) {
  EXPECT_FALSE(is_valid_email("alice@.example.com"));
  EXPECT_FALSE(is_valid_email("alice@example.com."));
  EXPECT_FALSE(is_valid_email("alice@example..com"));
  EXPECT_FALSE(is_valid_email("alice@-example.com"));
  EXPECT_FALSE(is_valid_email("alice@example-.com"));
  EXPECT_FALSE(is_valid_email("alice@exa_mple.com"));
  EXPECT_FALSE(is_valid_email("alice@[192.168.0.1]"));
  EXPECT_FALSE(is_valid_email("alice@example.com\n"));
  EXPECT_FALSE(is_valid_email(" alice@example.com"));
}

TEST(IsValidEmail, EnforcesLengthLimits) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(is_valid_email(local64 + "@example.com"));
  EXPECT_FALSE(is_valid_email(local64 + "a@example.com"));

  const std::string label63(63, 'b');
  EXPECT_TRUE(is_valid_email("a@" + label63 + ".com"));
  EXPECT_FALSE(is_valid_email("a@" + label63 + "b.com"));

  // 254 octets total is the maximum; every label here is within 63.
  const std::string prefix = std::string(64, 'c') + "@" + label63 + "." + label63 + ".";
  const std::string at_limit = prefix + std::string(61, 'd');
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_TRUE(is_valid_email(at_limit));
  const std::string over = prefix + std::string(62, 'd');
  ASSERT_EQ(over.size(), 255u);
  EXPECT_FALSE(is_valid_email(over));
}

TEST(NormalizeEmail, TrimsAndLowerCases) {
  EXPECT_EQ(normalize_email("  Alice.Smith@Example.COM \t\r\n"), "alice.smith@example.com");
  EXPECT_EQ(normalize_email("bob@example.com"), "bob@example.com");
  EXPECT_EQ(normalize_email(""), "");
  EXPECT_EQ(normalize_email("   "), "");
  // Only ASCII letters change; other bytes are left alone.
  EXPECT_EQ(normalize_email("JOS\xC3\x89@X.COM"), "jos\xC3\x89@x.com");
}

TEST(ParseMailbox, BareAddress) {
  auto mailbox = parse_mailbox("  Alice@Example.com ", "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name, "");
  EXPECT_EQ(mailbox->address, "alice@example.com");
}

TEST(ParseMailbox, AngleAddressOnly) {
  auto mailbox = parse_mailbox("<it@example.com>", "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name, "");
  EXPECT_EQ(mailbox->address, "it@example.com");
}

TEST(ParseMailbox, NameAndAddress) {
  auto mailbox = parse_mailbox("IT Service Desk <IT@Example.com>", "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name, "IT Service Desk");
  EXPECT_EQ(mailbox->address, "it@example.com");
}

TEST(ParseMailbox, QuotedNameWithCommaAndAngleBrackets) {
  auto mailbox = parse_mailbox(R"("Acme, Inc <billing>" <billing@acme.example>)", "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name, "Acme, Inc <billing>");
  EXPECT_EQ(mailbox->address, "billing@acme.example");
}

TEST(ParseMailbox, QuotedNameWithEscapes) {
  auto mailbox = parse_mailbox(R"("Say \"Hi\" \\ Co" <a@b.example>)", "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name, R"(Say "Hi" \ Co)");
}

TEST(ParseMailbox, Utf8Name) {
  auto mailbox = parse_mailbox(
      "Jos\xC3\xA9 Garc\xC3\xAD"
      "a <jose@example.es>",
      "from");
  ASSERT_TRUE(mailbox.has_value()) << mailbox.error().message;
  EXPECT_EQ(mailbox->name,
            "Jos\xC3\xA9 Garc\xC3\xAD"
            "a");
}

TEST(ParseMailbox, RejectsLineBreaks) {
  for (std::string_view text :
       {"a@b.example\r\nBcc: victim@x.example", "Name\n <a@b.example>", "a@b.example\r"}) {
    auto mailbox = parse_mailbox(text, "from");
    ASSERT_FALSE(mailbox.has_value()) << text;
    EXPECT_EQ(mailbox.error().code, ErrorCode::kValidation);
    EXPECT_EQ(mailbox.error().field, "from");
  }
}

TEST(ParseMailbox, RejectsInvalidAddresses) {
  for (std::string_view text :
       {"", "   ", "bob@", "Name <bob@>", "Name <>", "Name <a@b.example", "a@b.example>",
        "Name <a@b.example> trailing", "\"Unclosed <a@b.example>", "\"Name\" a@b.example",
        "Na\"me <a@b.example>", "Name <<a@b.example>>"}) {
    auto mailbox = parse_mailbox(text, "profile.from");
    ASSERT_FALSE(mailbox.has_value()) << text;
    EXPECT_EQ(mailbox.error().code, ErrorCode::kValidation) << text;
    EXPECT_EQ(mailbox.error().field, "profile.from") << text;
    EXPECT_FALSE(mailbox.error().message.empty());
  }
}

TEST(ParseMailbox, InvalidAddressMessageQuotesTheValue) {
  auto mailbox = parse_mailbox("Bob <bob@>", "from");
  ASSERT_FALSE(mailbox.has_value());
  EXPECT_EQ(mailbox.error().message, "\"bob@\" is not a valid email address");
}

TEST(ParseMailbox, MessageEchoIsBounded) {
  const std::string long_value(5000, 'x');
  auto mailbox = parse_mailbox(long_value, "from");
  ASSERT_FALSE(mailbox.has_value());
  EXPECT_LT(mailbox.error().message.size(), 200u);
  EXPECT_TRUE(contains(mailbox.error().message, std::string(80, 'x')));
  EXPECT_FALSE(contains(mailbox.error().message, std::string(81, 'x')));
}

TEST(ParseMailbox, RejectsControlCharactersInName) {
  auto mailbox = parse_mailbox(std::string("Na\0me <a@b.example>", 19), "from");
  ASSERT_FALSE(mailbox.has_value());
  EXPECT_EQ(mailbox.error().code, ErrorCode::kValidation);
}

TEST(ParseMailbox, RejectsInvalidUtf8InName) {
  auto mailbox = parse_mailbox("Jos\xE9 <a@b.example>", "from");
  ASSERT_FALSE(mailbox.has_value());
  EXPECT_EQ(mailbox.error().code, ErrorCode::kValidation);
}

}  // namespace
}  // namespace phishdrill
