#include "mail/imap_credentials.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace phishdrill {
namespace {

bool has(const std::vector<std::string>& forms, std::string_view form) {
  return std::find(forms.begin(), forms.end(), form) != forms.end();
}

// The expected forms are base64 computed independently (Python's base64).
TEST(ImapSecretForms, PasswordLogin) {
  const auto forms = imap_secret_forms("reports@example.org", "s3cret!", "");
  EXPECT_TRUE(has(forms, "s3cret!"));
  EXPECT_TRUE(has(forms, "AHJlcG9ydHNAZXhhbXBsZS5vcmcAczNjcmV0IQ=="));  // \0user\0password
  EXPECT_TRUE(has(forms, "cmVwb3J0c0BleGFtcGxlLm9yZwByZXBvcnRzQGV4YW1wbGUub3JnAHMzY3JldCE="));
  EXPECT_TRUE(has(forms, "czNjcmV0IQ=="));
  EXPECT_TRUE(std::is_sorted(forms.begin(), forms.end(),
                             [](const auto& a, const auto& b) { return a.size() > b.size(); }));
}

TEST(ImapSecretForms, TokenLoginLeavesThePasswordAlone) {
  const auto forms = imap_secret_forms("reports@example.org", "unused", "ya29.tok");
  EXPECT_TRUE(has(forms, "ya29.tok"));
  EXPECT_TRUE(has(forms, "dXNlcj1yZXBvcnRzQGV4YW1wbGUub3JnAWF1dGg9QmVhcmVyIHlhMjkudG9rAQE="));
  EXPECT_TRUE(has(forms, "eWEyOS50b2s="));
  EXPECT_FALSE(has(forms, "unused"));
  EXPECT_TRUE(imap_secret_forms("user", "", "").empty());
}

TEST(ImapRedact, EveryOccurrenceOfEveryForm) {
  const auto forms = imap_secret_forms("reports@example.org", "s3cret!", "");
  const std::string echoed =
      "A002 NO you sent AUTHENTICATE PLAIN AHJlcG9ydHNAZXhhbXBsZS5vcmcAczNjcmV0IQ== and "
      "LOGIN reports@example.org s3cret! and s3cret!s3cret! and czNjcmV0IQ==";
  const std::string redacted = redact_secrets(echoed, forms);
  EXPECT_EQ(redacted,
            "A002 NO you sent AUTHENTICATE PLAIN [redacted] and LOGIN reports@example.org "
            "[redacted] and [redacted][redacted] and [redacted]");
  EXPECT_EQ(redact_secrets("nothing secret", forms), "nothing secret");
  EXPECT_EQ(redact_secrets("", forms), "");
}

TEST(ImapRedact, ASecretFoundInTheMaskStillEnds) {
  // Each replacement is skipped over, so a mask that holds the secret again
  // is not searched again.
  EXPECT_EQ(redact_secrets("redacted", {"ed"}), "r[redacted]act[redacted]");
}

}  // namespace
}  // namespace phishdrill
