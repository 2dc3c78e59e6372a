// redact_url and redact_password_in: a database URL's password never
// reaches a log line or a message.
#include "store/postgres/redact_url.h"

#include <gtest/gtest.h>

namespace phishdrill::pg {
namespace {

TEST(RedactUrl, MasksThePasswordOfTheUserinfo) {
  EXPECT_EQ(redact_url("postgres://app:s3cret@db.example:5432/phishdrill?sslmode=verify-full"),
            "postgres://app:***@db.example:5432/phishdrill?sslmode=verify-full");
}

TEST(RedactUrl, MasksAPasswordQueryParameter) {
  EXPECT_EQ(redact_url("postgresql://db.example/pd?user=app&password=s3cret&sslmode=require"),
            "postgresql://db.example/pd?user=app&password=***&sslmode=require");
}

TEST(RedactUrl, MasksBothWhenBothAreGiven) {
  EXPECT_EQ(redact_url("postgres://app:one@h/db?password=two"),
            "postgres://app:***@h/db?password=***");
}

TEST(RedactUrl, KeepsAUrlWithoutPassword) {
  EXPECT_EQ(redact_url("postgres://app@db.example/pd"), "postgres://app@db.example/pd");
  EXPECT_EQ(redact_url("postgres://db.example:5432/pd"), "postgres://db.example:5432/pd");
  EXPECT_EQ(redact_url("postgres:///pd?host=/run/postgresql"),
            "postgres:///pd?host=/run/postgresql");
}

TEST(RedactUrl, AnAtSignInThePasswordStaysHidden) {
  EXPECT_EQ(redact_url("postgres://app:p@ss@db.example/pd"), "postgres://app:***@db.example/pd");
}

TEST(RedactUrl, AColonAfterTheHostIsNotAPassword) {
  EXPECT_EQ(redact_url("postgres://app@db.example:5432/pd"), "postgres://app@db.example:5432/pd");
}

TEST(RedactPasswordIn, ScrubsThePasswordWhereverAMessageEchoesIt) {
  const std::string url = "postgres://app:s3cr%40t@db.example/pd?password=other";
  EXPECT_EQ(redact_password_in("bad URI \"" + url + "\"", url),
            "bad URI \"postgres://app:***@db.example/pd?password=***\"");
  EXPECT_EQ(redact_password_in("login as app with s3cr@t failed", url),
            "login as app with *** failed");
}

TEST(RedactPasswordIn, LeavesAMessageAloneWhenTheUrlHasNoPassword) {
  EXPECT_EQ(redact_password_in("connection refused", "postgres://app@h/db"), "connection refused");
}

}  // namespace
}  // namespace phishdrill::pg
