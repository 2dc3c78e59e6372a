// Reporting mailboxes as the admin manages them
// (service/reporting/reporting_mailboxes.h, mailbox_connection.h) on every
// store backend: settings are validated by field before anything is stored,
// the secret is sealed under the installation's key and never returned nor
// audited, a kept secret never follows a changed server, another
// workspace's mailbox behaves as unknown, and "poll now" needs an enabled
// mailbox.
#include "service/reporting/reporting_mailboxes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "service/reporting/mailbox_connection.h"
#include "service/reporting/reporting_fixture.h"
#include "support/fakes.h"

namespace phishdrill::service {
namespace {

constexpr const char* kSecret = "Imap-S3cret-pass";

ReportingMailbox mailbox(const std::string& name = "Reports") {
  ReportingMailbox m;
  m.name = name;
  m.host = "imap.acme.example";
  m.port = 993;
  m.username = "phishing@acme.example";
  m.folder = "INBOX";
  return m;
}

class ReportingMailboxesTest : public testing_support::ReportingFixture {
 protected:
  MailboxPorts ports() { return {*store_, clock_, key_, settings_}; }

  ReportingMailbox make(const ReportingMailbox& m = mailbox(),
                        const std::optional<std::string>& secret = std::string(kSecret),
                        std::int64_t workspace_id = 0) {
    auto created = create_mailbox(ports(), caller(Role::kAdmin, workspace_id), m, secret);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.value_or(ReportingMailbox{});
  }

  // The stored secret as the store holds it (sealed); nullopt for no such mailbox.
  std::optional<std::string> stored_secret(std::int64_t id) {
    std::optional<std::string> sealed;
    read([&](Repositories& repos) { sealed = repos.mailboxes.mailbox_secret(ws_, id); });
    return sealed;
  }

  std::string opened_secret(std::int64_t id) {
    const auto sealed = stored_secret(id);
    if (!sealed || sealed->empty()) return "";
    return crypto::open(key_, *sealed).value_or("<unopenable>");
  }

  // Every audit entry of Acme, as one text.
  std::string audit_text() {
    std::string all;
    for (const auto& entry : audit_log()) all += entry.action + " " + entry.details_json + "\n";
    return all;
  }

  // The ids of the mailboxes whose poll is due at `at` (claimed, then released).
  std::vector<std::int64_t> due(std::int64_t at) {
    std::vector<std::int64_t> ids;
    write([&](Repositories& repos) {
      for (const auto& poll : repos.mailboxes.claim_polls(at, at + 120, 100)) {
        ids.push_back(poll.mailbox.id);
        repos.mailboxes.finish_poll(poll.mailbox.id, at, at + 3600, "");
      }
    });
    return ids;
  }

  testing_support::FakeClock clock_{kNow};
  MailboxPollSettings settings_;
};

TEST_P(ReportingMailboxesTest, CreateSealsTheSecretAndNeverReturnsIt) {
  const ReportingMailbox created = make();
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.workspace_id, ws_);
  EXPECT_TRUE(created.has_secret);
  EXPECT_EQ(created.created_at, kNow);
  const auto sealed = stored_secret(created.id);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_FALSE(sealed->empty());
  EXPECT_EQ(sealed->find(kSecret), std::string::npos);
  EXPECT_EQ(opened_secret(created.id), kSecret);
  const auto found = find_mailbox(*store_, ws_, created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->has_secret);
  EXPECT_EQ(found->host, "imap.acme.example");
  ASSERT_EQ(list_mailboxes(*store_, ws_, {})->items.size(), 1u);

  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "reporting_mailbox.create");
  EXPECT_EQ(log[0].resource_id, created.id);
  EXPECT_NE(log[0].details_json.find(R"("host":"imap.acme.example")"), std::string::npos);
  EXPECT_EQ(audit_text().find(kSecret), std::string::npos);

  // Without a secret, none is stored.
  const ReportingMailbox bare = make(mailbox("Bare"), std::nullopt);
  EXPECT_FALSE(bare.has_secret);
  EXPECT_EQ(stored_secret(bare.id).value_or("<none>"), "");
}

TEST_P(ReportingMailboxesTest, CreateValidatesByFieldBeforeStoringAnything) {
  struct Case {
    const char* what;
    ReportingMailbox mailbox;
    const char* field;
  };
  std::vector<Case> cases;
  for (const int port : {0, -1, 65536}) {
    ReportingMailbox m = mailbox();
    m.port = port;
    cases.push_back({"port", m, "port"});
  }
  ReportingMailbox with_port = mailbox();
  with_port.host = "imap.acme.example:993";
  cases.push_back({"host with port", with_port, "host"});
  ReportingMailbox loopback = mailbox();
  loopback.host = "127.0.0.1";  // refused by the default outbound policy
  cases.push_back({"loopback", loopback, "host"});
  ReportingMailbox tls = mailbox();
  tls.tls = "none";
  cases.push_back({"tls", tls, "tls"});
  ReportingMailbox move = mailbox();
  move.after = "move";
  cases.push_back({"move without a folder", move, "done_folder"});
  ReportingMailbox folder = mailbox();
  folder.folder = "Gel\xc3\xb6scht";
  cases.push_back({"non-ASCII folder", folder, "folder"});
  ReportingMailbox often = mailbox();
  often.poll_seconds = 5;
  cases.push_back({"poll", often, "poll_seconds"});
  for (const auto& c : cases) {
    const auto refused = create_mailbox(ports(), caller(Role::kAdmin), c.mailbox, kSecret);
    ASSERT_FALSE(refused.has_value()) << c.what;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation) << c.what;
    EXPECT_EQ(refused.error().field, c.field) << c.what;
  }
  const auto long_secret =
      create_mailbox(ports(), caller(Role::kAdmin), mailbox(), std::string(8193, 's'));
  ASSERT_FALSE(long_secret.has_value());
  EXPECT_EQ(long_secret.error().field, "secret");
  EXPECT_TRUE(list_mailboxes(*store_, ws_, {})->items.empty());
  EXPECT_TRUE(audit_actions().empty());

  // Names are unique per workspace.
  make();
  const auto again = create_mailbox(ports(), caller(Role::kAdmin), mailbox(), kSecret);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "name");
}

TEST_P(ReportingMailboxesTest, AKeptSecretNeverFollowsAChangedServer) {
  const ReportingMailbox created = make();
  std::vector<ReportingMailbox> moved;
  ReportingMailbox host = mailbox();
  host.host = "imap.attacker.example";
  moved.push_back(host);
  ReportingMailbox port = mailbox();
  port.port = 143;
  port.tls = "starttls";
  moved.push_back(port);
  ReportingMailbox user = mailbox();
  user.username = "someone-else@acme.example";
  moved.push_back(user);
  ReportingMailbox auth = mailbox();
  auth.auth = "xoauth2";
  moved.push_back(auth);
  for (const auto& m : moved) {
    for (const auto& kept : {std::optional<std::string>(), std::optional<std::string>("")}) {
      const auto refused = update_mailbox(ports(), caller(Role::kAdmin), created.id, m, kept);
      ASSERT_FALSE(refused.has_value()) << m.host << ":" << m.port << " " << m.username;
      EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
      EXPECT_EQ(refused.error().field, "secret");
    }
  }
  const auto unchanged = find_mailbox(*store_, ws_, created.id);
  EXPECT_EQ(unchanged->host, "imap.acme.example");
  EXPECT_EQ(unchanged->port, 993);
  EXPECT_EQ(opened_secret(created.id), kSecret);
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"reporting_mailbox.create"});

  // With the secret entered again, the move is fine.
  clock_.advance(10);
  const auto updated =
      update_mailbox(ports(), caller(Role::kAdmin), created.id, host, std::string("N3w-secret"));
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->host, "imap.attacker.example");
  EXPECT_TRUE(updated->has_secret);
  EXPECT_EQ(updated->created_at, kNow);
  EXPECT_EQ(updated->updated_at, kNow + 10);
  EXPECT_EQ(opened_secret(created.id), "N3w-secret");
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].action, "reporting_mailbox.update");
  EXPECT_NE(log[1].details_json.find(R"("secret_changed":true)"), std::string::npos);
  EXPECT_NE(log[1].details_json.find("imap.attacker.example"), std::string::npos);
  const std::string all = audit_text();
  EXPECT_EQ(all.find("N3w-secret"), std::string::npos);
  EXPECT_EQ(all.find(kSecret), std::string::npos);
}

TEST_P(ReportingMailboxesTest, AnUpdateOnTheSameServerKeepsTheSecret) {
  const ReportingMailbox created = make();
  ReportingMailbox renamed = mailbox("Renamed");
  renamed.folder = "Phishing";
  renamed.poll_seconds = 300;
  for (const auto& kept : {std::optional<std::string>(), std::optional<std::string>("")}) {
    const auto updated = update_mailbox(ports(), caller(Role::kAdmin), created.id, renamed, kept);
    ASSERT_TRUE(updated.has_value()) << updated.error().message;
    EXPECT_EQ(updated->name, "Renamed");
    EXPECT_EQ(updated->folder, "Phishing");
    EXPECT_TRUE(updated->has_secret);
    EXPECT_EQ(opened_secret(created.id), kSecret);
  }
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[2].details_json.find(R"("secret_changed":false)"), std::string::npos);
}

TEST_P(ReportingMailboxesTest, AnUpdateIsValidatedLikeACreate) {
  const ReportingMailbox created = make();
  ReportingMailbox bad = mailbox();
  bad.port = 0;
  const auto refused = update_mailbox(ports(), caller(Role::kAdmin), created.id, bad, kSecret);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "port");
  EXPECT_EQ(find_mailbox(*store_, ws_, created.id)->port, 993);
}

TEST_P(ReportingMailboxesTest, AnotherWorkspacesMailboxIsUnknown) {
  const ReportingMailbox theirs = make(mailbox(), std::string(kSecret), other_ws_);
  ASSERT_GT(theirs.id, 0);
  for (const std::int64_t id : {theirs.id, theirs.id + 1000}) {
    EXPECT_EQ(find_mailbox(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(
        update_mailbox(ports(), caller(Role::kAdmin), id, mailbox("Mine"), kSecret).error().code,
        ErrorCode::kNotFound);
    EXPECT_EQ(delete_mailbox(*store_, caller(Role::kAdmin), kNow, id).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(poll_mailbox_soon(*store_, caller(Role::kAdmin), id).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(test_mailbox(ports(), caller(Role::kAdmin), id).error().code, ErrorCode::kNotFound);
  }
  EXPECT_TRUE(list_mailboxes(*store_, ws_, {})->items.empty());
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_EQ(find_mailbox(*store_, other_ws_, theirs.id)->name, "Reports");
}

TEST_P(ReportingMailboxesTest, PollNowNeedsAnEnabledMailbox) {
  const ReportingMailbox enabled = make();
  ReportingMailbox off = mailbox("Off");
  off.enabled = false;
  const ReportingMailbox disabled = make(off);
  // A new mailbox is due at once; its poll then puts the next an hour away.
  EXPECT_EQ(due(kNow), std::vector<std::int64_t>{enabled.id});
  EXPECT_TRUE(due(kNow + 1).empty());

  const auto refused = poll_mailbox_soon(*store_, caller(Role::kAdmin), disabled.id);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "enabled");
  EXPECT_TRUE(due(kNow + 2).empty());

  ASSERT_TRUE(poll_mailbox_soon(*store_, caller(Role::kAdmin), enabled.id));
  EXPECT_EQ(due(kNow + 3), std::vector<std::int64_t>{enabled.id});
}

TEST_P(ReportingMailboxesTest, DeleteIsAudited) {
  const ReportingMailbox created = make();
  ASSERT_TRUE(delete_mailbox(*store_, caller(Role::kAdmin), kNow + 5, created.id));
  EXPECT_EQ(find_mailbox(*store_, ws_, created.id).error().code, ErrorCode::kNotFound);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].action, "reporting_mailbox.delete");
  EXPECT_EQ(log[1].resource_id, created.id);
}

TEST_P(ReportingMailboxesTest, ASecretSealedUnderAnotherKeyIsRefusedBeforeConnecting) {
  // Stored by an installation with another key (a restored backup, say).
  SecretKey other_key{};
  other_key.fill(9);
  const MailboxPorts other{*store_, clock_, other_key, settings_};
  const auto created = create_mailbox(other, caller(Role::kAdmin), mailbox(), kSecret);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  // The host would not resolve; the secret's field is named first.
  const auto tested = test_mailbox(ports(), caller(Role::kAdmin), created->id);
  ASSERT_FALSE(tested.has_value());
  EXPECT_EQ(tested.error().code, ErrorCode::kValidation);
  EXPECT_EQ(tested.error().field, "secret");
}

TEST(MailboxConnectionTest, TheSecretIsThePasswordOrTheBearerToken) {
  MailboxPollSettings settings;
  settings.ca_file = "/etc/pd/ca.pem";
  settings.verify_tls = false;
  ReportingMailbox m = mailbox();
  m.tls = "starttls";
  m.port = 143;
  const ImapSettings password = imap_settings(m, "pw", settings);
  EXPECT_EQ(password.host, "imap.acme.example");
  EXPECT_EQ(password.port, 143);
  EXPECT_EQ(password.tls, ImapTls::kStartTls);
  EXPECT_EQ(password.password, "pw");
  EXPECT_TRUE(password.bearer_token.empty());
  EXPECT_EQ(password.ca_file, "/etc/pd/ca.pem");
  EXPECT_FALSE(password.verify_tls);
  m.auth = "xoauth2";
  m.tls = "implicit";
  const ImapSettings token = imap_settings(m, "tok", settings);
  EXPECT_EQ(token.bearer_token, "tok");
  EXPECT_TRUE(token.password.empty());
  EXPECT_EQ(token.tls, ImapTls::kImplicit);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportingMailboxesTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
