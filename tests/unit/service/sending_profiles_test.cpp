// Sending profiles (service/sending_profiles.h) through the SQLite store: the
// password is kept (sealed under the secret key before it reaches the store,
// never written in clear) but never handed back, a kept
// password stays with its relay, literal addresses the outbound policy refuses
// are refused at save time, another workspace's profiles behave as unknown,
// and "send test email" reports the relay's answer and audits it.
#include "service/sending_profiles.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "service/relay_password.h"
#include "support/fakes.h"
#include "support/workspace_fixture.h"

namespace phishdrill::service {
namespace {

constexpr const char* kPassword = "S3cret-relay-pass";

SendingProfile relay(const std::string& name = "Relay") {
  SendingProfile p;
  p.name = name;
  p.kind = TransportKind::kSmtp;
  p.host = "smtp.example.com";
  p.port = 587;
  p.tls = TlsMode::kStartTls;
  p.username = "mailer";
  p.password = kPassword;
  p.from = "IT Service Desk <it@example.com>";
  return p;
}

// What the test sender was asked to send.
struct SentTest {
  SendingProfile profile;
  std::string password;
  std::string to;
};

class SendingProfilesTest : public testing_support::WorkspaceFixture {
 protected:
  SendingProfile make_profile(const SendingProfile& p = relay(), std::int64_t workspace_id = 0) {
    auto created = create_profile(ports(), caller(Role::kOperator, workspace_id), p);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.value_or(SendingProfile{});
  }

  std::optional<std::string> stored_password(std::int64_t id) {
    std::optional<std::string> secret;
    read([&](Repositories& repos) {
      const auto sealed = repos.profiles.find_sealed_password(ws_, id);
      if (sealed)
        secret = sealed->empty() ? "" : crypto::open(key_, *sealed).value_or("<unopenable>");
    });
    return secret;
  }

  ProfilePorts ports(const OutboundPolicy& outbound) {
    return {*store_, clock_, key_, outbound, sender_};
  }
  ProfilePorts ports() { return ports(outbound_); }

  // The "send a test message" port: records each request in sent_ and
  // answers answer_.
  TestSender sender_ = [this](const SendingProfile& profile, const std::string& password,
                              const std::string& to) {
    sent_.push_back({profile, password, to});
    return answer_;
  };
  SendOutcome answer_{};

  OutboundPolicy outbound_;
  testing_support::FakeClock clock_{kNow};
  std::vector<SentTest> sent_;
};

TEST_F(SendingProfilesTest, CreateKeepsThePasswordButNeverReturnsIt) {
  const SendingProfile created = make_profile();
  EXPECT_GT(created.id, 0);
  EXPECT_TRUE(created.has_password);
  EXPECT_TRUE(created.password.empty());
  EXPECT_EQ(created.created_at, kNow);
  const auto found = find_profile(*store_, ws_, created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->has_password);
  EXPECT_TRUE(found->password.empty());
  const auto listed = list_profiles(*store_, ws_, {});
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].password.empty());
  EXPECT_EQ(stored_password(created.id), kPassword);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "sending_profile.create");
  EXPECT_EQ(log[0].details_json.find(kPassword), std::string::npos);
  EXPECT_NE(log[0].details_json.find(R"("host":"smtp.example.com")"), std::string::npos);
}

TEST_F(SendingProfilesTest, CreateValidatesAndChecksTheOutboundPolicy) {
  SendingProfile no_host = relay();
  no_host.host = "";
  auto refused = create_profile(ports(), caller(), no_host);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "host");
  SendingProfile loopback = relay();
  loopback.host = "127.0.0.1";
  loopback.tls = TlsMode::kTls;
  auto local = create_profile(ports(), caller(), loopback);
  ASSERT_FALSE(local.has_value());
  EXPECT_EQ(local.error().code, ErrorCode::kValidation);
  EXPECT_EQ(local.error().field, "host");
  auto allowed = create_profile(ports(*OutboundPolicy::parse("127.0.0.1")), caller(), loopback);
  EXPECT_TRUE(allowed.has_value()) << allowed.error().message;
}

TEST_F(SendingProfilesTest, DuplicateNameIsAConflict) {
  make_profile();
  auto again = create_profile(ports(), caller(), relay());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "name");
}

TEST_F(SendingProfilesTest, ChangingTheRelayWithoutThePasswordIsRefused) {
  const SendingProfile created = make_profile();
  SendingProfile moved = relay();
  moved.host = "listener.attacker.example";
  moved.password.clear();
  auto refused = update_profile(ports(), caller(), created.id, moved, false);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "password");
  EXPECT_EQ(find_profile(*store_, ws_, created.id)->host, "smtp.example.com");
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"sending_profile.create"});
  // With the password entered again, the move is fine.
  moved.password = "An0ther-pass";
  clock_.advance(10);
  auto updated = update_profile(ports(), caller(), created.id, moved, true);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->host, "listener.attacker.example");
  EXPECT_TRUE(updated->password.empty());
  EXPECT_EQ(updated->updated_at, kNow + 10);
  EXPECT_EQ(updated->created_at, kNow);
  EXPECT_EQ(stored_password(created.id), "An0ther-pass");
  const auto log = audit_log();
  EXPECT_EQ(log.back().action, "sending_profile.update");
  EXPECT_NE(log.back().details_json.find(R"("password_changed":true)"), std::string::npos);
  EXPECT_EQ(log.back().details_json.find("An0ther-pass"), std::string::npos);
}

TEST_F(SendingProfilesTest, AnUpdateOnTheSameRelayKeepsThePassword) {
  const SendingProfile created = make_profile();
  SendingProfile renamed = relay("Renamed");
  renamed.password.clear();
  auto updated = update_profile(ports(), caller(), created.id, renamed, false);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->name, "Renamed");
  EXPECT_TRUE(updated->has_password);
  EXPECT_EQ(stored_password(created.id), kPassword);
}

TEST_F(SendingProfilesTest, UnknownAndOtherWorkspaceProfilesAreNotFound) {
  const SendingProfile theirs = make_profile(relay(), other_ws_);
  for (const std::int64_t id : {theirs.id, theirs.id + 100}) {
    EXPECT_EQ(find_profile(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(update_profile(ports(), caller(), id, relay(), true).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(delete_profile(*store_, caller(), kNow, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(send_test_message(ports(), caller(), id, "me@acme.example").error().code,
              ErrorCode::kNotFound);
  }
  EXPECT_TRUE(sent_.empty());
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_EQ(find_profile(*store_, other_ws_, theirs.id)->name, "Relay");
}

TEST_F(SendingProfilesTest, DeleteIsAudited) {
  const SendingProfile created = make_profile();
  ASSERT_TRUE(delete_profile(*store_, caller(), kNow, created.id));
  EXPECT_EQ(find_profile(*store_, ws_, created.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_log().back().action, "sending_profile.delete");
  EXPECT_EQ(audit_log().back().resource_id, created.id);
}

TEST_F(SendingProfilesTest, TestMessageGoesThroughThePortAndIsAudited) {
  const SendingProfile created = make_profile();
  clock_.advance(30);
  answer_ = {SendOutcome::Status::kTemporary, 451, "later"};
  auto report = send_test_message(ports(), caller(), created.id, " Me@Acme.Example ");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->result, "temporary_failure");
  EXPECT_EQ(report->smtp_code, 451);
  EXPECT_EQ(report->reply, "later");
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].to, "me@acme.example");
  EXPECT_EQ(sent_[0].password, kPassword);
  EXPECT_EQ(sent_[0].profile.host, "smtp.example.com");
  const auto log = audit_log();
  EXPECT_EQ(log.back().action, "sending_profile.test");
  EXPECT_EQ(log.back().at, kNow + 30);
  EXPECT_EQ(log.back().details_json, R"({"to":"me@acme.example","result":"temporary_failure"})");
}

TEST_F(SendingProfilesTest, TestMessageToABadAddressIsRefusedBeforeSending) {
  const SendingProfile created = make_profile();
  auto refused = send_test_message(ports(), caller(), created.id, "not an address");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "to");
  EXPECT_TRUE(sent_.empty());
}

TEST_F(SendingProfilesTest, ThePasswordIsNeverWrittenInClear) {
  const SendingProfile created = make_profile();
  SendingProfile renamed = relay("Renamed");
  renamed.password = "Second-relay-pass";
  ASSERT_TRUE(update_profile(ports(), caller(), created.id, renamed, true).has_value());
  // Neither the database file nor its write-ahead log holds either password.
  std::string bytes;
  for (const auto& path : {db_path(), std::filesystem::path(db_path().string() + "-wal")}) {
    std::ifstream in(path, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_NE(bytes.find("smtp.example.com"), std::string::npos);  // sanity: we read the data
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
  EXPECT_EQ(bytes.find("Second-relay-pass"), std::string::npos);
  EXPECT_EQ(stored_password(created.id), "Second-relay-pass");
}

TEST_F(SendingProfilesTest, APasswordSealedUnderAnotherKeyIsNotOpened) {
  const SendingProfile created = make_profile();
  SecretKey other_key;
  other_key.fill(43);
  ASSERT_TRUE(reopen(other_key));
  ProfilePorts other{*store_, clock_, other_key, outbound_, sender_};
  ASSERT_TRUE(send_test_message(other, caller(), created.id, "me@acme.example").has_value());
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].password, "");
  std::string opened = "<unread>";
  read([&](Repositories& repos) {
    opened = open_relay_password(repos, other_key, ws_, created.id);
  });
  EXPECT_EQ(opened, "");
  read([&](Repositories& repos) { opened = open_relay_password(repos, key_, ws_, created.id); });
  EXPECT_EQ(opened, kPassword);
}

}  // namespace
}  // namespace phishdrill::service
