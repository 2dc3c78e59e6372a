// Recording hits (service/record_hits.h) through the SQLite store: people are
// counted once per step, automated hits are counted apart, a decoy takes back
// the nearby hits of the same browser, an address threshold only flags, and a
// finished campaign's hits leave no trace.
#include "service/record_hits.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill::service {
namespace {

using testing_support::launch_test_campaign;
using testing_support::test_rid;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr const char* kBrowser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)";

class RecordHitsTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      const auto made =
          testing_support::make_test_workspace(repos, {"a@x.example", "b@x.example"}, kNow);
      audience_ = made.audience;
      campaign_ = launch_test_campaign(repos, audience_, made.tmpl, "Payroll", std::nullopt, kNow);
    });
  }

  Hit hit(std::size_t person, const std::string& kind, int rank, std::int64_t at,
          const std::string& ip = "198.51.100.7") {
    Hit h;
    read([&](Repositories& repos) {
      const auto info = repos.events.find_rid(test_rid(campaign_, person));
      ASSERT_TRUE(info.has_value());
      h.event.recipient_id = info->recipient_id;
    });
    h.event.workspace_id = audience_.workspace_id;
    h.event.campaign_id = campaign_;
    h.event.kind = kind;
    h.event.at = at;
    h.event.ip = ip;
    h.event.user_agent = kBrowser;
    h.rank = rank;
    h.email = audience_.people[person].email;
    return h;
  }

  std::vector<HitOutcome> record(const std::vector<Hit>& hits) {
    auto outcomes = record_hits(*store_, hits);
    EXPECT_TRUE(outcomes.has_value()) << outcomes.error().message;
    return outcomes.value_or(std::vector<HitOutcome>{});
  }

  ResultCounts counts() {
    ResultCounts out;
    read([&](Repositories& repos) { out = repos.results.result_counts(campaign_); });
    return out;
  }

  std::vector<EventRecord> events() {
    std::vector<EventRecord> out;
    read([&](Repositories& repos) {
      out = repos.events.list_events(campaign_, 0, PageRequest{0, 100}).items;
    });
    return out;
  }

  testing_support::TestAudience audience_;
  std::int64_t campaign_ = 0;
};

TEST_F(RecordHitsTest, PeopleCountOncePerStep) {
  record({hit(0, "opened", 1, kNow + 10), hit(0, "clicked", 2, kNow + 20),
          hit(0, "clicked", 2, kNow + 30), hit(1, "opened", 1, kNow + 40)});
  record({hit(0, "submitted", 3, kNow + 50)});
  const auto c = counts();
  EXPECT_EQ(c.opened, 2);
  EXPECT_EQ(c.clicked, 1);
  EXPECT_EQ(c.submitted, 1);
  EXPECT_EQ(c.automated_events, 0);
  const auto person = events().front().recipient_id;
  read([&](Repositories& repos) {
    const auto funnel = repos.results.recipient_funnel(person);
    ASSERT_TRUE(funnel.has_value());
    EXPECT_EQ(funnel->funnel.rank, 3);
    EXPECT_EQ(funnel->funnel.first_opened_at, kNow + 10);
    EXPECT_EQ(funnel->funnel.first_clicked_at, kNow + 20);
    EXPECT_EQ(funnel->funnel.first_submitted_at, kNow + 50);
  });
}

TEST_F(RecordHitsTest, AutomatedHitsAreKeptButCountedApart) {
  Hit scanner = hit(0, "clicked", 2, kNow + 5);
  scanner.event.automated = true;
  scanner.event.reason = "scanner user agent";
  EXPECT_EQ(record({scanner, scanner}),
            (std::vector<HitOutcome>{HitOutcome::kRecorded, HitOutcome::kRecorded}));
  const auto c = counts();
  EXPECT_EQ(c.clicked, 0);
  EXPECT_EQ(c.opened, 0);
  EXPECT_EQ(c.automated_events, 2);
  EXPECT_EQ(events().size(), 2u);
}

TEST_F(RecordHitsTest, ADecoyTakesBackTheNearbyHitsOfTheSameBrowser) {
  record({hit(0, "clicked", 2, kNow + 100), hit(1, "clicked", 2, kNow + 101)});
  ASSERT_EQ(counts().clicked, 2);
  Hit decoy = hit(0, "decoy", 0, kNow + 102);
  decoy.event.automated = true;
  decoy.event.reason = "followed the decoy link";
  decoy.decoy_window_seconds = 30;
  record({decoy});
  const auto c = counts();
  EXPECT_EQ(c.clicked, 1);  // the other person's click stands
  EXPECT_EQ(c.opened, 1);
  EXPECT_EQ(c.automated_events, 2);  // the decoy and the click it took back
  for (const auto& e : events()) {
    if (e.kind == "clicked" && e.recipient_id == decoy.event.recipient_id) {
      EXPECT_TRUE(e.automated);
      EXPECT_NE(e.reason.find("decoy"), std::string::npos);
    }
  }
}

// Hits are written together, but a decoy still sees exactly the hits that
// came before it in the batch, and none of those after it.
TEST_F(RecordHitsTest, ADecoyInsideABatchTakesBackOnlyTheHitsBeforeIt) {
  Hit decoy = hit(0, "decoy", 0, kNow + 102);
  decoy.event.automated = true;
  decoy.event.reason = "followed the decoy link";
  decoy.decoy_window_seconds = 30;
  record({hit(0, "clicked", 2, kNow + 100), hit(1, "opened", 1, kNow + 101), decoy,
          hit(0, "clicked", 2, kNow + 110)});
  const auto c = counts();
  EXPECT_EQ(c.clicked, 1);  // the click after the decoy
  EXPECT_EQ(c.opened, 2);
  EXPECT_EQ(c.automated_events, 2);  // the decoy and the click before it
  const auto stored = events();
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_TRUE(stored[0].automated);
  EXPECT_FALSE(stored[1].automated);
  EXPECT_FALSE(stored[3].automated);
  read([&](Repositories& repos) {
    const auto funnel = repos.results.recipient_funnel(stored[0].recipient_id);
    ASSERT_TRUE(funnel.has_value());
    EXPECT_EQ(funnel->funnel.first_clicked_at, kNow + 110);
  });
}

TEST_F(RecordHitsTest, AnAddressThresholdFlagsButKeepsCounting) {
  record({hit(0, "clicked", 2, kNow + 100, "203.0.113.50")});
  Hit second = hit(1, "clicked", 2, kNow + 110, "203.0.113.50");
  second.event.suspect = "many people clicked from this address";
  second.flag_address_back_seconds = 60;
  record({second});
  EXPECT_EQ(counts().clicked, 2);
  for (const auto& e : events()) {
    EXPECT_FALSE(e.automated);
    EXPECT_EQ(e.suspect, "many people clicked from this address");
  }
}

TEST_F(RecordHitsTest, AFinishedCampaignsHitsLeaveNoTrace) {
  write([&](Repositories& repos) {
    auto c = repos.campaigns.find_campaign(audience_.workspace_id, campaign_);
    ASSERT_TRUE(c.has_value());
    c->status = CampaignStatus::kCompleted;
    c->completed_at = kNow + 1;
    EXPECT_TRUE(repos.campaigns.set_campaign_state(*c, CampaignStatus::kActive));
  });
  EXPECT_EQ(record({hit(0, "clicked", 2, kNow + 10)}),
            (std::vector<HitOutcome>{HitOutcome::kRejected}));
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(counts().clicked, 0);
}

TEST_F(RecordHitsTest, WebhooksThatWantTheKindGetADelivery) {
  write([&](Repositories& repos) {
    Webhook w;
    w.name = "SIEM";
    w.url = "https://siem.example.com/hook";
    w.events = {"clicked"};
    ASSERT_TRUE(
        repos.webhooks.create_webhook(audience_.workspace_id, w, {"masked", "url", "secret"})
            .has_value());
  });
  record({hit(0, "opened", 1, kNow + 10), hit(0, "clicked", 2, kNow + 20)});
  std::vector<DueDelivery> due;
  write([&](Repositories& repos) {
    due = repos.webhooks.claim_deliveries(kNow + 60, kNow + 120, 10);
  });
  ASSERT_EQ(due.size(), 1u);
  EXPECT_NE(due[0].delivery.payload.find("\"clicked\""), std::string::npos);
  EXPECT_NE(due[0].delivery.payload.find("a@x.example"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill::service
