// Signing in (service/sign_in.h): a session for the right password, the
// same refusal for a wrong password and an unknown email, and the lockouts
// per (account, address), per address and per account, which spare the
// owner's usual addresses.
#include "service/sign_in.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "accounts_fixture.h"
#include "service/sessions.h"

namespace phishdrill::service {
namespace {

constexpr int kLockout = 60;

class SignInTest : public testing_support::AccountsFixture {
 protected:
  SignInContext context() {
    return {*store_, throttle(), tokens_, {3, 20, 5, kLockout}, SessionLifetime{1800, 12 * 3600}};
  }

  Result<SignedIn> attempt(const std::string& email, const std::string& password,
                           const std::string& ip = testing_support::kClientIp) {
    auto ctx = context();
    return sign_in(ctx, {email, password, ip}, clock_.now());
  }

  LoginThrottle& throttle() {
    if (!throttle_) throttle_.emplace(*store_);
    return *throttle_;
  }
  std::optional<LoginThrottle> throttle_;  // on the store, once it is open
};

using testing_support::kPassword;

TEST_F(SignInTest, RightPasswordStartsASessionAndIsAudited) {
  auto signed_in = attempt("Admin@ACME.test", kPassword);
  ASSERT_TRUE(signed_in.has_value()) << signed_in.error().message;
  EXPECT_EQ(signed_in->user.id, admin_.id);
  EXPECT_EQ(signed_in->session_token.size(), 43u);
  auto who = authenticate_session(*store_, signed_in->session_token, clock_.now(),
                                  SessionLifetime{1800, 12 * 3600});
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->user.id, admin_.id);
  EXPECT_EQ(audit_actions(ws_).front(), "session.login");
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.sign_ins.has_signed_in_from(admin_.id, testing_support::kClientIp));
  });
}

TEST_F(SignInTest, WrongPasswordAndUnknownEmailAreRefusedAlike) {
  auto wrong = attempt("admin@acme.test", "not-the-password");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidCredentials);
  auto unknown = attempt("nobody@acme.test", kPassword);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidCredentials);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(audit_actions(ws_).front(), "session.login_failed");
  EXPECT_EQ(tokens_.issued(), 0);  // no session was started
}

TEST_F(SignInTest, AddressLocksOutOfTheAccountAfterMaxFailuresThenUnlocks) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(attempt("admin@acme.test", "wrong-guess-1234").error().code,
              ErrorCode::kInvalidCredentials);
  }
  EXPECT_EQ(audit_actions(ws_).front(), "session.locked");
  auto locked = attempt("admin@acme.test", kPassword);
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(locked.error().retry_after_seconds, kLockout);
  // Another address is not locked out of the account.
  EXPECT_TRUE(attempt("admin@acme.test", kPassword, "198.51.100.7").has_value());
  clock_.advance(kLockout + 1);
  EXPECT_TRUE(attempt("admin@acme.test", kPassword).has_value());
}

TEST_F(SignInTest, UnknownEmailLocksOutLikeAnAccount) {
  for (int i = 0; i < 3; ++i) attempt("nobody@acme.test", "wrong-guess-1234");
  auto locked = attempt("nobody@acme.test", "wrong-guess-1234");
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
}

TEST_F(SignInTest, AccountWideLockoutSparesAddressesThatSignedInBefore) {
  ASSERT_TRUE(attempt("admin@acme.test", kPassword, "192.0.2.1").has_value());
  // Strangers from many addresses: two guesses each (under the per-address limit).
  for (int i = 0; i < 3; ++i) {
    const std::string ip = "198.51.100." + std::to_string(10 + i);
    attempt("admin@acme.test", "wrong-guess-1234", ip);
    attempt("admin@acme.test", "wrong-guess-1234", ip);
  }
  auto stranger = attempt("admin@acme.test", kPassword, "198.51.100.99");
  ASSERT_FALSE(stranger.has_value());
  EXPECT_EQ(stranger.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(attempt("admin@acme.test", kPassword, "192.0.2.1").has_value());
}

TEST_F(SignInTest, AddressIsThrottledAcrossAccounts) {
  auto ctx = SignInContext{*store_, throttle(), tokens_, {3, 4, 50, kLockout}, SessionLifetime{}};
  for (int i = 0; i < 4; ++i) {
    const std::string email = "guess" + std::to_string(i) + "@acme.test";
    sign_in(ctx, {email, "wrong-guess-1234", testing_support::kClientIp}, clock_.now());
  }
  auto locked =
      sign_in(ctx, {"admin@acme.test", kPassword, testing_support::kClientIp}, clock_.now());
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
}

}  // namespace
}  // namespace phishdrill::service
