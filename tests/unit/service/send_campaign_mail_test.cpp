#include "service/send_campaign_mail.h"

#include <gtest/gtest.h>

#include <optional>

#include "service/relay_password.h"
#include "support/failing_store.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

using Kind = DeliveryVerdict::Kind;

using testing_support::FakeClock;

// Records what it is asked to send and answers with `answer`.
class RecordingTransport final : public MailTransport {
 public:
  struct Sent {
    std::string to, message_id, mime;
  };
  explicit RecordingTransport(std::vector<Sent>& sent, SendOutcome& answer)
      : sent_(sent), answer_(answer) {}
  SendOutcome send(std::string_view, std::string_view to, std::string_view message_id,
                   std::string_view mime) override {
    sent_.push_back({std::string(to), std::string(message_id), std::string(mime)});
    return answer_;
  }

 private:
  std::vector<Sent>& sent_;
  SendOutcome& answer_;
};

// Counts renewals; `stop` makes it say the worker is stopping.
class CountingLease final : public Lease {
 public:
  void renew() override { ++renewals; }
  void keep_alive() override { ++keep_alives; }
  bool stopping() const override { return stop; }
  int renewals = 0, keep_alives = 0;
  bool stop = false;
};

// One active campaign with one queued recipient, and a webhook that wants
// every send event.
class SendCampaignMailTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    rate_.emplace(*store_);
    transports_.emplace(factory_, *rate_);
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", 1000).id;
      EmailTemplate t;
      t.name = "Payroll";
      t.subject = "Hi";
      t.text = "Hello";
      t.from = "Payroll <payroll@corp.example>";
      const auto template_id = repos.templates.create_template(ws_, t).value().id;
      SendingProfile p;
      p.name = "Relay";
      p.kind = TransportKind::kSmtp;
      p.host = "relay.example.com";
      p.port = 25;
      p.from = "payroll@corp.example";
      p.created_at = p.updated_at = 1000;
      profile_id_ =
          repos.profiles.create_profile(ws_, p, seal_relay_password(key_, "pw")).value().id;
      const auto group = repos.groups.create_group(ws_, "All", 1000).value().id;
      TargetFields f;
      f.email = "ann@corp.example";
      const auto stats = repos.groups.upsert_targets(ws_, {f}, 1000);
      repos.groups.add_members(group, stats.target_ids);
      Campaign c;
      c.name = "C";
      c.templates = {{template_id, 1}};
      c.group_ids = {group};
      c.profile_id = profile_id_;
      c.created_at = c.updated_at = 1000;
      auto campaign = repos.campaigns.create_campaign(ws_, c).value();
      campaign_id_ = campaign.id;
      const auto variant = repos.campaigns.insert_variant(
          campaign.id,
          CampaignVariant{0, template_id, 1, *repos.templates.find_template(ws_, template_id)});
      Recipient r;
      r.target_id = stats.target_ids.front();
      r.rid = "rid-1";
      r.fields = f;
      r.variant_id = variant;
      r.send_at = 5000;
      r.message_id = "m1@corp.example";
      repos.campaigns.insert_recipients(ws_, campaign.id, {r});
      campaign.status = CampaignStatus::kActive;
      campaign.launched_at = 5000;
      EXPECT_TRUE(repos.campaigns.set_campaign_state(campaign, CampaignStatus::kDraft));
      Webhook w;
      w.name = "SIEM";
      w.url = "https://hooks.example.com/in";
      w.events = {"sent", "send_deferred", "send_failed"};
      hook_ =
          repos.webhooks.create_webhook(ws_, w, {"https://hooks.example.com/…", "sealed", "sealed"})
              .value()
              .id;
    });
  }

  SendCampaignMail use_case() { return use_case_on(*store_); }
  SendCampaignMail use_case_on(Store& store) {
    return SendCampaignMail(
        store, clock_, key_, *transports_,
        {.lease_seconds = 60,
         .retry = {.base_delay_seconds = 30, .max_delay_seconds = 3600, .max_attempts = 8},
         .default_base_url = "https://phish.example.com",
         .links = {}});
  }

  void set_rate(int per_minute) {
    write([&](Repositories& repos) {
      auto p = repos.profiles.find_profile(ws_, profile_id_).value();
      p.rate_per_minute = per_minute;
      ASSERT_TRUE(repos.profiles.update_profile(ws_, p, std::nullopt).has_value());
    });
  }

  ClaimedCampaignMail claim_one(SendCampaignMail& uc) {
    auto claimed = uc.claim(4);
    EXPECT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->size(), 1u);
    return claimed->empty() ? ClaimedCampaignMail{} : claimed->front();
  }

  Recipient recipient() {
    Recipient r;
    read([&](Repositories& repos) {
      r = repos.results.list_recipients(campaign_id_, {}, {}).items.at(0);
    });
    return r;
  }

  std::vector<std::string> event_kinds() {
    std::vector<std::string> out;
    read([&](Repositories& repos) {
      for (const auto& e : repos.events.list_events(campaign_id_, 0, {}).items) {
        out.push_back(e.kind);
      }
    });
    return out;
  }

  std::size_t webhook_deliveries() {
    std::size_t n = 0;
    read([&](Repositories& repos) { n = repos.webhooks.list_deliveries(hook_, {}).items.size(); });
    return n;
  }

  std::int64_t ws_ = 0, profile_id_ = 0, campaign_id_ = 0, hook_ = 0;
  FakeClock clock_{10000};
  std::vector<RecordingTransport::Sent> sent_;
  SendOutcome answer_{SendOutcome::Status::kSent, 250, "ok"};
  TransportFactory factory_ = [this](const SendingProfile&, const std::string&) {
    return std::make_unique<RecordingTransport>(sent_, answer_);
  };
  std::optional<SendRate> rate_;  // both set up once the store is open
  std::optional<MailTransports> transports_;
};

TEST_F(SendCampaignMailTest, ClaimBringsWhatSendingNeeds) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  EXPECT_EQ(m.recipient.fields.email, "ann@corp.example");
  EXPECT_EQ(m.recipient.attempts, 1);
  ASSERT_TRUE(m.variant);
  EXPECT_EQ(m.variant->content.subject, "Hi");
  ASSERT_TRUE(m.profile.has_value());
  EXPECT_EQ(m.profile->id, profile_id_);
  EXPECT_EQ(m.password, "pw");
  EXPECT_EQ(m.campaign.workspace_id, ws_);
  EXPECT_TRUE(uc.still_active(m).value());
  EXPECT_TRUE(uc.claim(4).value().empty());  // leased
}

TEST_F(SendCampaignMailTest, SentIsRecordedWithItsEventAndWebhook) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  const auto verdict = uc.judge(m, {SendOutcome::Status::kSent, 250, "ok"});
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(recipient().state, SendState::kSent);
  EXPECT_EQ(recipient().sent_at, 10000);
  EXPECT_EQ(event_kinds(), std::vector<std::string>{"sent"});
  EXPECT_EQ(webhook_deliveries(), 1u);
}

TEST_F(SendCampaignMailTest, ADeferralIsQueuedAgainWithoutAWebhook) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  const auto verdict = uc.judge(m, {SendOutcome::Status::kTemporary, 451, "busy"});
  EXPECT_EQ(verdict.kind, Kind::kRetry);
  EXPECT_EQ(verdict.retry_at, 10030);
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(recipient().state, SendState::kQueued);
  EXPECT_EQ(recipient().send_at, 10030);
  EXPECT_EQ(recipient().last_error, "busy");
  EXPECT_EQ(event_kinds(), std::vector<std::string>{"send_deferred"});
  EXPECT_EQ(webhook_deliveries(), 0u);
}

TEST_F(SendCampaignMailTest, APermanentRefusalFails) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  ASSERT_TRUE(uc.record(m, uc.judge(m, {SendOutcome::Status::kPermanent, 550, "no such user"}))
                  .has_value());
  EXPECT_EQ(recipient().state, SendState::kFailed);
  EXPECT_EQ(recipient().smtp_code, 550);
  EXPECT_EQ(event_kinds(), std::vector<std::string>{"send_failed"});
  EXPECT_EQ(webhook_deliveries(), 1u);
}

TEST_F(SendCampaignMailTest, CancelledLeavesNoEvent) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  ASSERT_TRUE(uc.record(m, DeliveryVerdict::of(Kind::kCancelled)).has_value());
  EXPECT_EQ(recipient().state, SendState::kCancelled);
  EXPECT_TRUE(event_kinds().empty());
}

TEST_F(SendCampaignMailTest, AReleasedClaimIsDueAgainWithoutCountingTheAttempt) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  uc.release(m);
  EXPECT_EQ(recipient().state, SendState::kQueued);
  EXPECT_EQ(recipient().attempts, 0);
  EXPECT_EQ(claim_one(uc).recipient.attempts, 1);
}

TEST_F(SendCampaignMailTest, AnExpiredLeaseIsClaimedAgainUnlessRenewed) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  clock_.advance(50);
  uc.renew(m);  // leased until now + 60
  clock_.advance(30);
  EXPECT_TRUE(uc.claim(4).value().empty());
  clock_.advance(31);
  EXPECT_EQ(claim_one(uc).recipient.attempts, 2);
}

TEST_F(SendCampaignMailTest, SendRendersAndSendsWithTheMessageIdFixedAtLaunch) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  CountingLease lease;
  const auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kSent) << verdict.detail;
  EXPECT_EQ(lease.renewals, 1);  // a fresh lease covers the SMTP exchange
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].to, "ann@corp.example");
  EXPECT_EQ(sent_[0].message_id, "m1@corp.example");
  EXPECT_NE(sent_[0].mime.find("Message-ID: <m1@corp.example>"), std::string::npos);
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(recipient().state, SendState::kSent);
}

TEST_F(SendCampaignMailTest, ATemporaryRefusalIsRetriedAndAPermanentOneFails) {
  auto uc = use_case();
  CountingLease lease;
  answer_ = {SendOutcome::Status::kTemporary, 421, "try later"};
  auto m = claim_one(uc);
  auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kRetry);
  EXPECT_EQ(verdict.code, 421);
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  clock_.advance(30);
  answer_ = {SendOutcome::Status::kPermanent, 550, "no such user"};
  m = claim_one(uc);
  EXPECT_EQ(m.recipient.attempts, 2);
  verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kFailed);
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(recipient().state, SendState::kFailed);
  EXPECT_EQ(recipient().last_error, "no such user");
  EXPECT_EQ(event_kinds(), (std::vector<std::string>{"send_deferred", "send_failed"}));
  EXPECT_EQ(sent_[0].message_id, sent_[1].message_id);  // the resend keeps its Message-ID
}

TEST_F(SendCampaignMailTest, ACampaignThatEndedMeanwhileIsCancelledUnsent) {
  auto uc = use_case();
  const auto m = claim_one(uc);
  write([&](Repositories& repos) {
    auto c = repos.campaigns.find_campaign(ws_, campaign_id_).value();
    c.status = CampaignStatus::kCancelled;
    EXPECT_TRUE(repos.campaigns.set_campaign_state(c, CampaignStatus::kActive));
  });
  CountingLease lease;
  const auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kCancelled);
  EXPECT_TRUE(sent_.empty());
}

TEST_F(SendCampaignMailTest, AFailedCampaignCheckGivesTheClaimBackInsteadOfCancellingIt) {
  testing_support::FailingStore flaky(*store_);
  auto uc = use_case_on(flaky);
  const auto m = claim_one(uc);
  flaky.fail_reads = true;  // the check right before sending cannot read the campaign
  CountingLease lease;
  EXPECT_EQ(uc.send(m, lease).kind, Kind::kGiveBack);
  EXPECT_TRUE(sent_.empty());
  flaky.fail_reads = false;
  uc.release(m);
  EXPECT_EQ(recipient().state, SendState::kQueued);  // due again, not cancelled
}

TEST_F(SendCampaignMailTest, AStopWhileWaitingForTheRateGivesTheClaimBackUntried) {
  set_rate(1);
  auto uc = use_case();
  const auto m = claim_one(uc);
  CountingLease first;
  ASSERT_EQ(uc.send(m, first).kind, Kind::kSent);  // takes the one token
  CountingLease lease;
  lease.stop = true;
  EXPECT_EQ(uc.send(m, lease).kind, Kind::kGiveBack);
  EXPECT_GE(lease.keep_alives, 1);  // kept alive while it waited
  EXPECT_EQ(sent_.size(), 1u);
}

TEST_F(SendCampaignMailTest, AMissingProfileFailsWithoutSending) {
  write([&](Repositories& repos) { ASSERT_TRUE(repos.profiles.delete_profile(ws_, profile_id_)); });
  auto uc = use_case();
  const auto m = claim_one(uc);
  EXPECT_FALSE(m.profile.has_value());
  CountingLease lease;
  const auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kFailed);
  EXPECT_EQ(verdict.detail, "the campaign's sending profile no longer exists");
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace phishdrill::service
