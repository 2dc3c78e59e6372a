// Changing one's own password (service/change_password.h): throttled and
// audited like a sign-in; on success every session ends, a cookie caller
// gets a new one, and the old password no longer works.
#include "service/change_password.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "accounts_fixture.h"

namespace phishdrill::service {
namespace {

using testing_support::kPassword;

constexpr const char* kNewPassword = "a-brand-new-passphrase";
constexpr int kLockout = 60;

class ChangePasswordTest : public testing_support::AccountsFixture {
 protected:
  Result<std::string> change(const std::string& current, const std::string& next,
                             bool new_session = true) {
    SignInContext context{*store_, throttle(), tokens_, {3, 20, 50, kLockout}, kLifetime};
    return change_password(context, caller_of(viewer_), viewer_, {current, next, new_session},
                           clock_.now());
  }

  static constexpr SessionLifetime kLifetime{1800, 12 * 3600};
  LoginThrottle& throttle() {
    if (!throttle_) throttle_.emplace(*store_);
    return *throttle_;
  }
  std::optional<LoginThrottle> throttle_;  // on the store, once it is open
};

TEST_F(ChangePasswordTest, SuccessEndsOldSessionsAndStartsANewOne) {
  std::string old_session;
  write([&](Repositories& repos) {
    old_session = start_session(repos, tokens_, viewer_, clock_.now(), kLifetime);
  });
  auto token = change(kPassword, kNewPassword);
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_FALSE(authenticate_session(*store_, old_session, clock_.now(), kLifetime));
  auto who = authenticate_session(*store_, *token, clock_.now(), kLifetime);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->user.id, viewer_.id);
  EXPECT_EQ(audit_actions(ws_).front(), "user.password_change");
  read([&](Repositories& repos) {
    auto credentials = repos.accounts.find_credentials(viewer_.email);
    ASSERT_TRUE(credentials.has_value());
    EXPECT_TRUE(crypto::verify_password(credentials->password_hash, kNewPassword));
    EXPECT_FALSE(credentials->user.must_change_password);
    EXPECT_TRUE(repos.sign_ins.has_signed_in_from(viewer_.id, testing_support::kClientIp));
  });
}

TEST_F(ChangePasswordTest, ApiKeyCallerGetsNoSession) {
  auto token = change(kPassword, kNewPassword, /*new_session=*/false);
  ASSERT_TRUE(token.has_value());
  EXPECT_TRUE(token->empty());
  EXPECT_EQ(tokens_.issued(), 0);
}

TEST_F(ChangePasswordTest, RefusesTheSamePasswordOrAWeakOne) {
  auto same = change(kPassword, kPassword);
  EXPECT_EQ(same.error().field, "new_password");
  auto weak = change(kPassword, "short");
  EXPECT_EQ(weak.error().code, ErrorCode::kValidation);
  EXPECT_EQ(weak.error().field, "new_password");
}

TEST_F(ChangePasswordTest, WrongCurrentPasswordsAreAuditedAndLockOut) {
  for (int i = 0; i < 2; ++i) {
    auto wrong = change("wrong-guess-1234", kNewPassword);
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, ErrorCode::kValidation);
    EXPECT_EQ(wrong.error().field, "current_password");
    EXPECT_EQ(audit_actions(ws_).front(), "user.password_change_failed");
  }
  change("wrong-guess-1234", kNewPassword);
  EXPECT_EQ(audit_actions(ws_).front(), "user.password_change_locked");
  auto locked = change(kPassword, kNewPassword);
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(locked.error().retry_after_seconds, kLockout);
  clock_.advance(kLockout + 1);
  EXPECT_TRUE(change(kPassword, kNewPassword).has_value());
}

}  // namespace
}  // namespace phishdrill::service
