// Cookie sessions (service/sessions.h): found by their token while fresh,
// ended by idleness, by their absolute lifetime and by signing out, and
// their CSRF tokens.
#include "service/sessions.h"

#include <gtest/gtest.h>

#include <string>

#include "accounts_fixture.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kIdle = 1800;
constexpr std::int64_t kLifetime = 12 * 3600;
constexpr SessionLifetime kLimits{kIdle, kLifetime};

class SessionsTest : public testing_support::AccountsFixture {
 protected:
  std::string start(const User& user) {
    std::string token;
    write([&](Repositories& repos) {
      token = start_session(repos, tokens_, user, clock_.now(), kLimits);
    });
    return token;
  }

  Result<Identity> resume(const std::string& token) {
    return authenticate_session(*store_, token, clock_.now(), kLimits);
  }
};

TEST_F(SessionsTest, AFreshSessionNamesItsUser) {
  const std::string token = start(viewer_);
  auto who = resume(token);
  ASSERT_TRUE(who.has_value()) << who.error().message;
  EXPECT_EQ(who->user.id, viewer_.id);
  EXPECT_EQ(who->role, Role::kViewer);
  EXPECT_EQ(who->actor.kind, "user");
  EXPECT_EQ(who->actor.label, "viewer@acme.test");
}

TEST_F(SessionsTest, UnknownTokenIsNotValid) {
  start(admin_);
  auto who = resume("not-a-session-token");
  ASSERT_FALSE(who.has_value());
  EXPECT_EQ(who.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(who.error().message, "the session is not valid; log in again");
}

TEST_F(SessionsTest, IdleSessionExpiresAndIsDeleted) {
  const std::string token = start(admin_);
  clock_.advance(kIdle + 1);
  auto expired = resume(token);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(expired.error().message, "the session has expired; log in again");
  auto again = resume(token);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message, "the session is not valid; log in again");
}

TEST_F(SessionsTest, UseKeepsASessionAliveUntilItsAbsoluteLifetime) {
  const std::string token = start(admin_);
  const std::int64_t started = clock_.now();
  while (clock_.now() - started < kLifetime) {
    ASSERT_TRUE(resume(token).has_value()) << "after " << clock_.now() - started << "s";
    clock_.advance(kIdle / 2);
  }
  clock_.advance(1);  // past the lifetime, though used kIdle / 2 ago
  auto expired = resume(token);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().message, "the session has expired; log in again");
}

TEST_F(SessionsTest, SignOutEndsTheSessionAndIsAudited) {
  const std::string token = start(admin_);
  const std::string other = start(admin_);
  ASSERT_TRUE(sign_out(*store_, caller_of(admin_), token, clock_.now()).has_value());
  EXPECT_FALSE(resume(token).has_value());
  EXPECT_TRUE(resume(other).has_value());
  EXPECT_EQ(audit_actions(ws_).front(), "session.logout");
}

TEST_F(SessionsTest, CsrfTokenBelongsToItsSession) {
  const std::string token = start(admin_);
  const std::string other = start(admin_);
  const std::string csrf = csrf_token(key_, token);
  EXPECT_EQ(csrf.size(), 43u);
  EXPECT_NE(csrf, csrf_token(key_, other));
  EXPECT_TRUE(check_csrf(key_, token, csrf).has_value());
  for (const std::string& wrong : {std::string(), csrf_token(key_, other), csrf.substr(1)}) {
    auto refused = check_csrf(key_, token, wrong);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kCsrf);
  }
  crypto::SecretKey other_key = key_;
  other_key[0] ^= 1;
  EXPECT_FALSE(check_csrf(other_key, token, csrf).has_value());
}

}  // namespace
}  // namespace phishdrill::service
