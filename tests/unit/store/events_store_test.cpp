// The events port on every backend (part of the store conformance suite):
// ids that are never reused, and address look-ups that reach every hit in
// their window however the hits were ordered or whenever the process restarted.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill {
namespace {

using testing_support::append_test_event;
using testing_support::launch_test_campaign;
using testing_support::test_rid;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr const char* kOffice = "198.51.100.20";

class EventsStoreTest : public testing_support::StoreConformance {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      // The variants snapshot the template's content; the templates port is not needed.
      audience_ = testing_support::make_test_audience(
          repos, {"a@x.example", "b@x.example", "c@x.example"}, kNow);
      template_ = testing_support::test_template_content();
      template_.id = 77;
    });
  }

  std::int64_t launch(const std::string& name) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      id = launch_test_campaign(repos, audience_, template_, name, std::nullopt, kNow);
    });
    return id;
  }

  void click(std::int64_t campaign, std::size_t person, std::int64_t at,
             const std::string& ip = kOffice) {
    write([&](Repositories& repos) {
      append_test_event(repos, test_rid(campaign, person), "clicked", at, false, ip);
    });
  }

  std::vector<EventRecord> events_of(std::int64_t campaign) {
    std::vector<EventRecord> events;
    read([&](Repositories& repos) {
      events = repos.events.list_events(campaign, 0, PageRequest{0, 100}).items;
    });
    return events;
  }

  std::int64_t flag(std::int64_t from, std::int64_t to) {
    std::int64_t flagged = 0;
    write([&](Repositories& repos) {
      flagged = repos.events.flag_address_suspect_between(kOffice, from, to, "many people");
    });
    return flagged;
  }

  testing_support::TestAudience audience_;
  EmailTemplate template_;
};

TEST_P(EventsStoreTest, IdsAreNeverReusedAfterTheNewestCampaignIsDeleted) {
  const auto first = launch("First");
  click(first, 0, kNow + 10);
  const auto newest = launch("Newest");
  click(newest, 0, kNow + 20);
  click(newest, 1, kNow + 21);
  const auto deleted_last = events_of(newest).back().id;
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.campaigns.delete_campaign(audience_.workspace_id, newest));
  });
  const auto next = launch("Next");
  click(next, 0, kNow + 30);
  EXPECT_GT(events_of(next).front().id, deleted_last);
}

TEST_P(EventsStoreTest, AddressFlagReachesAHitAppendedAfterALaterOne) {
  const auto c = launch("Office");
  click(c, 2, kNow + 50);   // the first event this process sees
  click(c, 0, kNow + 200);  // appended first ...
  click(c, 1, kNow + 100);  // ... this one waited in a queue
  EXPECT_EQ(flag(kNow + 100, kNow + 300), 2);
  const auto events = events_of(c);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].suspect, "");  // before the window
  EXPECT_EQ(events[1].suspect, "many people");
  EXPECT_EQ(events[2].suspect, "many people");
}

TEST_P(EventsStoreTest, AddressFlagKeepsToItsAddressWindowAndHumanClicks) {
  const auto c = launch("Office");
  click(c, 0, kNow + 100);
  click(c, 1, kNow + 110, "192.0.2.99");  // another address
  write([&](Repositories& repos) {
    append_test_event(repos, test_rid(c, 2), "clicked", kNow + 120, /*automated=*/true, kOffice);
    append_test_event(repos, test_rid(c, 2), "opened", kNow + 130, false, kOffice);
  });
  click(c, 2, kNow + 400);  // after the window
  EXPECT_EQ(flag(kNow + 90, kNow + 300), 1);
  EXPECT_EQ(flag(kNow + 90, kNow + 300), 0);  // already flagged
}

TEST_P(EventsStoreTest, AddressFlagReachesHitsFromBeforeARestart) {
  const auto c = launch("Office");
  click(c, 0, kNow + 100);
  ASSERT_TRUE(reopen(key_));
  click(c, 1, kNow + 150);
  EXPECT_EQ(flag(kNow + 100, kNow + 200), 2);
}

TEST_P(EventsStoreTest, ABatchOfEventsKeepsItsOrderAndAnyText) {
  const auto c = launch("Batch");
  std::vector<EventRecord> batch;
  const std::vector<std::string> agents = {"plain", "quote \" and backslash \\ end",
                                           "{braces, commas}", "unicode é ü 漢字", ""};
  write([&](Repositories& repos) {
    for (std::size_t i = 0; i < agents.size(); ++i) {
      const auto info = repos.events.find_rid(test_rid(c, i % 3));
      ASSERT_TRUE(info.has_value());
      EventRecord e;
      e.workspace_id = info->workspace_id;
      e.campaign_id = c;
      e.recipient_id = info->recipient_id;
      e.kind = i % 2 == 0 ? "opened" : "clicked";
      e.at = kNow + static_cast<std::int64_t>(i);
      e.ip = kOffice;
      e.user_agent = agents[i];
      e.automated = i == 3;
      e.reason = i == 3 ? "scanner, \"quoted\"" : "";
      e.details_json = R"({"k":"v \"x\""})";
      batch.push_back(e);
    }
    repos.events.append_events(batch);
    repos.events.append_events({});
  });
  const auto stored = events_of(c);
  ASSERT_EQ(stored.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE(i);
    if (i > 0) {
      EXPECT_GT(stored[i].id, stored[i - 1].id);
    }
    EXPECT_EQ(stored[i].recipient_id, batch[i].recipient_id);
    EXPECT_EQ(stored[i].kind, batch[i].kind);
    EXPECT_EQ(stored[i].at, batch[i].at);
    EXPECT_EQ(stored[i].user_agent, batch[i].user_agent);
    EXPECT_EQ(stored[i].automated, batch[i].automated);
    EXPECT_EQ(stored[i].reason, batch[i].reason);
    EXPECT_EQ(stored[i].details_json, batch[i].details_json);
  }
}

TEST_P(EventsStoreTest, FunnelsAreReadAndSetForManyRecipientsAtOnce) {
  const auto c = launch("Funnels");
  std::vector<std::int64_t> ids;
  read([&](Repositories& repos) {
    for (std::size_t i = 0; i < 3; ++i) {
      const auto info = repos.events.find_rid(test_rid(c, i));
      ASSERT_TRUE(info.has_value());
      ids.push_back(info->recipient_id);
    }
  });
  ASSERT_EQ(ids.size(), 3u);
  const std::vector<FunnelUpdate> updates = {
      {ids[0], Funnel{2, kNow + 1, kNow + 2, 0, 0}},
      {ids[2], Funnel{3, kNow + 3, kNow + 4, kNow + 5, kNow + 6}}};
  write([&](Repositories& repos) {
    repos.results.set_recipient_funnels(updates);
    repos.results.set_recipient_funnels({});
  });
  read([&](Repositories& repos) {
    const std::vector<std::int64_t> asked = {ids[2], ids[0], ids[1], 999999999};
    const auto found = repos.results.recipient_funnels(asked);
    EXPECT_EQ(found.size(), 3u);  // the unknown id is absent
    EXPECT_EQ(found.at(ids[0]).funnel, updates[0].funnel);
    EXPECT_EQ(found.at(ids[1]).funnel, Funnel{});
    EXPECT_EQ(found.at(ids[2]).funnel, updates[1].funnel);
    EXPECT_EQ(found.at(ids[2]).campaign_id, c);
    EXPECT_TRUE(repos.results.recipient_funnels({}).empty());
    EXPECT_FALSE(repos.training.campaign_has_follow_up(c));
    EXPECT_FALSE(repos.training.campaign_has_follow_up(999999999));
  });
  std::int64_t trained = 0;
  write([&](Repositories& repos) {
    trained = launch_test_campaign(repos, audience_, template_, "Trained",
                                   FollowUp{"phishing-basics", "clicked", 7}, kNow);
  });
  read([&](Repositories& repos) { EXPECT_TRUE(repos.training.campaign_has_follow_up(trained)); });
}

INSTANTIATE_TEST_SUITE_P(Backends, EventsStoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill
