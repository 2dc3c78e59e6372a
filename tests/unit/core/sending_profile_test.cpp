// Sending profiles: validation and the rule that binds a stored password to
// the relay it was entered for.
#include "core/sending_profile.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

SendingProfile stored_relay() {
  SendingProfile p;
  p.name = "Relay";
  p.kind = TransportKind::kSmtp;
  p.host = "smtp.example.com";
  p.port = 587;
  p.tls = TlsMode::kStartTls;
  p.username = "mailer";
  p.has_password = true;
  p.from = "it@example.com";
  return p;
}

// The update as a handler builds it from a body without "password".
SendingProfile without_password(SendingProfile p) {
  p.password.clear();
  p.has_password = false;
  return p;
}

TEST(SendingProfileUpdateTest, KeepingThePasswordForTheSameRelayIsFine) {
  auto updated = without_password(stored_relay());
  updated.name = "Renamed";
  updated.rate_per_minute = 10;
  updated.host = "SMTP.Example.com";  // host names compare without case
  EXPECT_TRUE(check_profile_update(stored_relay(), updated, false).has_value());
}

TEST(SendingProfileUpdateTest, ChangingTheRelayWithoutThePasswordIsRefused) {
  auto change = [](auto edit) {
    auto updated = without_password(stored_relay());
    edit(updated);
    return check_profile_update(stored_relay(), updated, false);
  };
  for (const auto& result :
       {change([](SendingProfile& p) { p.host = "listener.attacker.example"; }),
        change([](SendingProfile& p) { p.port = 2525; }),
        change([](SendingProfile& p) { p.tls = TlsMode::kTls; }),
        change([](SendingProfile& p) { p.username = "someone"; }),
        change([](SendingProfile& p) { p.kind = TransportKind::kOutbox; })}) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().field, "password");
  }
}

TEST(SendingProfileUpdateTest, ANewOrClearedPasswordMayGoWithANewRelay) {
  auto updated = stored_relay();
  updated.host = "other.example.com";
  updated.password = "fresh";
  updated.has_password = true;
  EXPECT_TRUE(check_profile_update(stored_relay(), updated, true).has_value());
  auto cleared = without_password(stored_relay());
  cleared.host = "other.example.com";
  EXPECT_TRUE(check_profile_update(stored_relay(), cleared, true).has_value());
  auto no_stored = stored_relay();
  no_stored.has_password = false;
  EXPECT_TRUE(check_profile_update(no_stored, cleared, false).has_value());
}

TEST(SendingProfileUpdateTest, AKeptPasswordNeverGoesInClear) {
  auto updated = without_password(stored_relay());
  updated.tls = TlsMode::kNone;
  auto result = check_profile_update(stored_relay(), updated, false);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "tls");
  // Same relay, stored in clear by an older version: still refused.
  auto legacy = stored_relay();
  legacy.tls = TlsMode::kNone;
  result = check_profile_update(legacy, without_password(legacy), false);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "tls");
}

TEST(SendingProfileValidationTest, NewPasswordInClearIsRefused) {
  auto p = stored_relay();
  p.tls = TlsMode::kNone;
  p.password = "secret";
  auto result = validate_sending_profile(p);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "tls");
  p.host = "127.0.0.1";
  EXPECT_TRUE(validate_sending_profile(p).has_value());
}

}  // namespace
}  // namespace phishdrill
