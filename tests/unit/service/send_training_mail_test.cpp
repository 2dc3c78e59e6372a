// The training email queue's use case on a real store, with the shipped
// training catalogue, a recording transport and the fake clock and tokens.
#include "service/send_training_mail.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "service/assign_training.h"
#include "support/failing_store.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

using Kind = DeliveryVerdict::Kind;
using testing_support::FakeClock;
using testing_support::FakeTokens;
namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr const char* kModule = "spotting-red-flags";

class RecordingTransport final : public MailTransport {
 public:
  explicit RecordingTransport(std::vector<std::string>& mimes, SendOutcome& answer)
      : mimes_(mimes), answer_(answer) {}
  SendOutcome send(std::string_view, std::string_view to, std::string_view,
                   std::string_view mime) override {
    mimes_.push_back(std::string(to) + "\n" + std::string(mime));
    return answer_;
  }

 private:
  std::vector<std::string>& mimes_;
  SendOutcome& answer_;
};

class StillLease final : public Lease {
 public:
  void renew() override {}
  void keep_alive() override {}
  bool stopping() const override { return false; }
};

std::shared_ptr<const TrainingCatalogue> shipped_catalogue(const fs::path& imported) {
  const auto root = fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  auto catalogue = std::make_shared<TrainingCatalogue>(root / "content" / "training", imported);
  EXPECT_TRUE(catalogue->load().has_value());
  return catalogue;
}

class SendTrainingMailTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    rate_.emplace(*store_);
    transports_.emplace(factory_, *rate_);
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", kNow).id;
      TargetFields t;
      t.email = "ann@corp.example";
      t.first_name = "Ann";
      target_ = repos.groups.upsert_targets(ws_, {t}, kNow).target_ids.at(0);
      SendingProfile p;
      p.name = "Relay";
      p.kind = TransportKind::kOutbox;
      p.from = "Security <security@corp.example>";
      p.created_at = p.updated_at = kNow;
      NewAssignments r;
      r.target_ids = {target_};
      r.module_slug = kModule;
      r.profile_id = repos.profiles.create_profile(ws_, p, "").value().id;
      r.portal_base_url = "https://learn.example.com";
      r.due_at = kNow + 7 * 86400;
      r.now = kNow;
      ASSERT_EQ(assign_training(repos, ws_, r, {}).created, 1);
    });
    catalogue_ = shipped_catalogue(dir_ / "imported");
  }

  SendTrainingMail use_case(std::shared_ptr<const TrainingCatalogue> catalogue) {
    return use_case_on(*store_, std::move(catalogue));
  }
  SendTrainingMail use_case_on(Store& store, std::shared_ptr<const TrainingCatalogue> catalogue) {
    return SendTrainingMail(store, clock_, tokens_, key_, *transports_,
                            {.lease_seconds = 60,
                             .retry = {.base_delay_seconds = 30, .max_attempts = 5},
                             .default_base_url = "https://phish.example.com",
                             .portal_path = "/learn",
                             .catalogue = std::move(catalogue)});
  }

  ClaimedTrainingMail claim_one(SendTrainingMail& uc) {
    auto claimed = uc.claim(4);
    EXPECT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->size(), 1u);
    return claimed->empty() ? ClaimedTrainingMail{} : claimed->front();
  }

  std::vector<TrainingMailRecord> mails() {
    std::vector<TrainingMailRecord> out;
    read([&](Repositories& repos) { out = repos.training.mails_of(claimed_assignment_); });
    return out;
  }

  std::int64_t ws_ = 0, target_ = 0, claimed_assignment_ = 0;
  FakeClock clock_{kNow};
  FakeTokens tokens_;
  std::shared_ptr<const TrainingCatalogue> catalogue_;
  std::vector<std::string> sent_;
  SendOutcome answer_{SendOutcome::Status::kSent, 250, "ok"};
  TransportFactory factory_ = [this](const SendingProfile&, const std::string&) {
    return std::make_unique<RecordingTransport>(sent_, answer_);
  };
  std::optional<SendRate> rate_;  // both set up once the store is open
  std::optional<MailTransports> transports_;
};

TEST_F(SendTrainingMailTest, TheNoticeCarriesAFreshPersonalLinkStoredOnlyAsItsHash) {
  auto uc = use_case(catalogue_);
  const auto m = claim_one(uc);
  claimed_assignment_ = m.mail.assignment.id;
  EXPECT_EQ(m.mail.kind, "assigned");
  StillLease lease;
  const auto verdict = uc.send(m, lease);
  ASSERT_EQ(verdict.kind, Kind::kSent) << verdict.detail;
  EXPECT_FALSE(verdict.reference.empty());  // the Message-ID
  ASSERT_EQ(sent_.size(), 1u);
  const std::string token = FakeTokens().token(32);
  EXPECT_NE(sent_[0].find("https://learn.example.com/learn/" + token), std::string::npos);
  read([&](Repositories& repos) {
    const auto link = repos.portal.find_portal_link(crypto::hash_token(token));
    ASSERT_TRUE(link.has_value());
    EXPECT_EQ(link->target_id, target_);
    EXPECT_EQ(link->expires_at, kNow + 30 * 86400);
    EXPECT_FALSE(repos.portal.find_portal_link(token).has_value());
  });
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(mails().at(0).state, "sent");
}

TEST_F(SendTrainingMailTest, ATemporaryRefusalIsRetriedAfterTheBackoff) {
  answer_ = {SendOutcome::Status::kTemporary, 451, "greylisted"};
  auto uc = use_case(catalogue_);
  const auto m = claim_one(uc);
  claimed_assignment_ = m.mail.assignment.id;
  StillLease lease;
  const auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kRetry);
  EXPECT_EQ(verdict.retry_at, kNow + 30);
  ASSERT_TRUE(uc.record(m, verdict).has_value());
  EXPECT_EQ(mails().at(0).state, "queued");
  EXPECT_EQ(mails().at(0).last_error, "greylisted");
  EXPECT_TRUE(uc.claim(4).value().empty());  // not before its time
  clock_.advance(30);
  EXPECT_EQ(claim_one(uc).mail.attempts, 2);
}

TEST_F(SendTrainingMailTest, AnEmailWhoseAssignmentEndedMeanwhileIsNotSent) {
  auto uc = use_case(catalogue_);
  const auto m = claim_one(uc);
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.training.cancel_assignment(ws_, m.mail.assignment.id, "left", kNow));
  });
  StillLease lease;
  EXPECT_EQ(uc.send(m, lease).kind, Kind::kCancelled);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(tokens_.issued(), 1);  // drawn, never stored
}

TEST_F(SendTrainingMailTest, AStoreFailureWhileIssuingTheLinkGivesTheEmailBackUntried) {
  testing_support::FailingStore flaky(*store_);
  auto uc = use_case_on(flaky, catalogue_);
  const auto m = claim_one(uc);
  claimed_assignment_ = m.mail.assignment.id;
  flaky.fail_writes = true;  // the link cannot be stored
  StillLease lease;
  EXPECT_EQ(uc.send(m, lease).kind, Kind::kGiveBack);
  EXPECT_TRUE(sent_.empty());
  flaky.fail_writes = false;
  uc.release(m);
  EXPECT_EQ(mails().at(0).state, "queued");  // due again, not dropped
  EXPECT_EQ(claim_one(uc).mail.id, m.mail.id);
}

TEST_F(SendTrainingMailTest, AModuleNoLongerInTheCatalogueFailsTheEmail) {
  auto empty = std::make_shared<TrainingCatalogue>(dir_ / "none", dir_ / "imported");
  ASSERT_TRUE(empty->load().has_value());
  auto uc = use_case(empty);
  const auto m = claim_one(uc);
  StillLease lease;
  const auto verdict = uc.send(m, lease);
  EXPECT_EQ(verdict.kind, Kind::kFailed);
  EXPECT_EQ(verdict.detail, "the training module is no longer in the catalogue");
  EXPECT_TRUE(sent_.empty());
}

TEST_F(SendTrainingMailTest, WithoutACatalogueNothingIsClaimed) {
  auto uc = use_case(nullptr);
  EXPECT_TRUE(uc.claim(4).value().empty());
  auto with = use_case(catalogue_);
  EXPECT_EQ(with.claim(4).value().size(), 1u);  // still queued
}

TEST_F(SendTrainingMailTest, AnExpiredLeaseIsClaimedAgain) {
  auto uc = use_case(catalogue_);
  const auto m = claim_one(uc);
  clock_.advance(59);
  EXPECT_TRUE(uc.claim(4).value().empty());
  clock_.advance(2);
  const auto again = claim_one(uc);
  EXPECT_EQ(again.mail.id, m.mail.id);
  EXPECT_EQ(again.mail.attempts, 2);
}

}  // namespace
}  // namespace phishdrill::service
