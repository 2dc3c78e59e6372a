// The campaigns, send-queue and results ports on every backend (part of the
// store conformance suite): a campaign and its parts round-trip, launch
// writes recipients in order, claims are exclusive until their lease runs
// out, and results are filtered and counted as stored.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill {
namespace {

using testing_support::launch_test_campaign;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC

class CampaignsStoreTest : public testing_support::StoreConformance {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      audience_ = testing_support::make_test_audience(
          repos, {"ann@x.example", "bob@x.example", "Cy_100%@x.example"}, kNow);
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

  std::vector<std::string> claim(std::int64_t now, int limit) {
    std::vector<std::string> rids;
    write([&](Repositories& repos) {
      for (const auto& r : repos.send_queue.claim_due(now, now + 60, limit)) rids.push_back(r.rid);
    });
    return rids;
  }

  testing_support::TestAudience audience_;
  EmailTemplate template_;
};

TEST_P(CampaignsStoreTest, ACampaignAndItsPartsRoundTrip) {
  Campaign c;
  c.name = "Q4";
  c.templates = {{77, 3}, {78, 1}};
  c.group_ids = {audience_.group_id};
  c.profile_id = 5;
  c.page_id = 6;
  c.base_url = "https://phish.example.com";
  c.window.days = {true, false, true, false, true, false, false};
  c.window.start_minute = 540;
  c.window.end_minute = 1020;
  c.window.utc_offset_minutes = -300;
  c.seed = 0xFEEDFACECAFEBEEFull;  // above INT64_MAX: stored as its bits
  c.follow_up = FollowUp{"phishing-basics", "submitted", 14};
  c.created_at = c.updated_at = kNow;
  std::int64_t id = 0;
  write([&](Repositories& repos) {
    auto created = repos.campaigns.create_campaign(audience_.workspace_id, c);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    id = created->id;
    auto twin = repos.campaigns.create_campaign(audience_.workspace_id, c);
    ASSERT_FALSE(twin.has_value());
    EXPECT_EQ(twin.error().code, ErrorCode::kConflict);
    EXPECT_EQ(twin.error().field, "name");
  });
  read([&](Repositories& repos) {
    const auto found = repos.campaigns.find_campaign(audience_.workspace_id, id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "Q4");
    ASSERT_EQ(found->templates.size(), 2u);
    EXPECT_EQ(found->templates[0].template_id, 77);
    EXPECT_EQ(found->templates[0].weight, 3);
    EXPECT_EQ(found->group_ids, std::vector<std::int64_t>{audience_.group_id});
    EXPECT_EQ(found->window.days, c.window.days);
    EXPECT_EQ(found->window.utc_offset_minutes, -300);
    EXPECT_EQ(found->seed, c.seed);
    ASSERT_TRUE(found->follow_up.has_value());
    EXPECT_EQ(found->follow_up->trigger, "submitted");
    EXPECT_EQ(found->follow_up->due_days, 14);
    EXPECT_FALSE(repos.campaigns.find_campaign(audience_.workspace_id + 1000, id).has_value());
    EXPECT_EQ(repos.campaigns.count_targets_of_groups(audience_.workspace_id,
                                                      {audience_.group_id, audience_.group_id}),
              3);
    EXPECT_EQ(
        repos.campaigns.targets_of_groups(audience_.workspace_id, {audience_.group_id}).size(), 3u);
  });
  c.id = id;
  c.name = "Q4 renamed";
  c.templates = {{79, 1}};
  c.follow_up.reset();
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.campaigns.update_campaign(audience_.workspace_id, c).has_value());
  });
  read([&](Repositories& repos) {
    const auto found = repos.campaigns.find_campaign(audience_.workspace_id, id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "Q4 renamed");
    ASSERT_EQ(found->templates.size(), 1u);
    EXPECT_EQ(found->templates[0].template_id, 79);
    EXPECT_FALSE(found->follow_up.has_value());
  });
}

TEST_P(CampaignsStoreTest, AnUpdateNamingAnotherWorkspaceChangesNothing) {
  Campaign c;
  c.name = "Theirs";
  c.templates = {{77, 1}};
  c.group_ids = {audience_.group_id};
  c.follow_up = FollowUp{"phishing-basics", "clicked", 7};
  c.created_at = c.updated_at = kNow;
  write([&](Repositories& repos) {
    auto created = repos.campaigns.create_campaign(audience_.workspace_id, c);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    c.id = created->id;
  });
  Campaign forged = c;
  forged.name = "Forged";
  forged.templates = {{99, 5}};
  forged.group_ids = {};
  forged.follow_up.reset();
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.campaigns.update_campaign(audience_.workspace_id + 1000, forged).has_value());
  });
  read([&](Repositories& repos) {
    const auto found = repos.campaigns.find_campaign(audience_.workspace_id, c.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "Theirs");
    ASSERT_EQ(found->templates.size(), 1u);
    EXPECT_EQ(found->templates[0].template_id, 77);
    EXPECT_EQ(found->group_ids, std::vector<std::int64_t>{audience_.group_id});
    ASSERT_TRUE(found->follow_up.has_value());
    EXPECT_EQ(found->follow_up->trigger, "clicked");
  });
}

TEST_P(CampaignsStoreTest, LaunchWritesRecipientsInOrderAndOnlyFromDraft) {
  const auto id = launch("Q4");
  read([&](Repositories& repos) {
    const auto page = repos.results.list_recipients(id, {}, PageRequest{0, 10});
    ASSERT_EQ(page.items.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(page.items[i].rid, testing_support::test_rid(id, i));
      EXPECT_EQ(page.items[i].fields.email, audience_.people[i].email);
      EXPECT_EQ(page.items[i].state, SendState::kQueued);
    }
    EXPECT_LT(page.items[0].id, page.items[1].id);
    const auto variant = repos.campaigns.find_variant(page.items[0].variant_id);
    ASSERT_TRUE(variant.has_value());
    EXPECT_EQ(variant->content.subject, "Hi");
    EXPECT_EQ(variant->template_id, 77);
  });
  write([&](Repositories& repos) {
    auto c = repos.campaigns.find_campaign(audience_.workspace_id, id);
    ASSERT_TRUE(c.has_value());
    c->status = CampaignStatus::kActive;
    EXPECT_FALSE(repos.campaigns.set_campaign_state(*c, CampaignStatus::kDraft));
  });
}

TEST_P(CampaignsStoreTest, ClaimsAreExclusiveUntilTheLeaseRunsOut) {
  const auto id = launch("Q4");
  const auto first = claim(kNow, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0], testing_support::test_rid(id, 0));
  EXPECT_EQ(first[1], testing_support::test_rid(id, 1));
  EXPECT_EQ(claim(kNow, 10), std::vector<std::string>{testing_support::test_rid(id, 2)});
  EXPECT_TRUE(claim(kNow + 30, 10).empty());
  // After the lease: the claims in doubt come back, counting another attempt.
  const auto again = claim(kNow + 61, 10);
  EXPECT_EQ(again.size(), 3u);
  read([&](Repositories& repos) {
    const auto counts = repos.results.count_recipients(id);
    EXPECT_EQ(counts.total, 3);
    EXPECT_EQ(counts.sending, 3);
    const auto page = repos.results.list_recipients(id, {}, PageRequest{0, 10});
    EXPECT_EQ(page.items[0].attempts, 2);
  });
}

TEST_P(CampaignsStoreTest, OutcomesMoveRecipientsAndCancelledCampaignsStopRetries) {
  const auto id = launch("Q4");
  const auto claimed = claim(kNow, 3);
  ASSERT_EQ(claimed.size(), 3u);
  std::vector<std::int64_t> ids;
  read([&](Repositories& repos) {
    for (const auto& r : repos.results.list_recipients(id, {}, PageRequest{0, 10}).items) {
      ids.push_back(r.id);
    }
  });
  write([&](Repositories& repos) {
    repos.send_queue.mark_sent(ids[0], kNow + 1);
    repos.send_queue.mark_failed(ids[1], "550 no such user", 550);
    repos.send_queue.release_claim(ids[2]);
  });
  read([&](Repositories& repos) {
    const auto counts = repos.results.count_recipients(id);
    EXPECT_EQ(counts.sent, 1);
    EXPECT_EQ(counts.failed, 1);
    EXPECT_EQ(counts.queued, 1);
    const auto info = repos.send_queue.dispatch_info(id);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->workspace_id, audience_.workspace_id);
    EXPECT_EQ(info->status, CampaignStatus::kActive);
  });
  EXPECT_EQ(claim(kNow, 10).size(), 1u);
  write([&](Repositories& repos) {
    auto c = repos.campaigns.find_campaign(audience_.workspace_id, id);
    ASSERT_TRUE(c.has_value());
    c->status = CampaignStatus::kCancelled;
    ASSERT_TRUE(repos.campaigns.set_campaign_state(*c, CampaignStatus::kActive));
    repos.send_queue.mark_retry(ids[2], kNow + 300, "451 try later", 451);
  });
  read([&](Repositories& repos) { EXPECT_EQ(repos.results.count_recipients(id).cancelled, 1); });
}

TEST_P(CampaignsStoreTest, ResultsAreFilteredAndCountedAsStored) {
  const auto id = launch("Q4");
  std::vector<std::int64_t> ids;
  read([&](Repositories& repos) {
    for (const auto& r : repos.results.list_recipients(id, {}, PageRequest{0, 10}).items) {
      ids.push_back(r.id);
    }
  });
  write([&](Repositories& repos) {
    repos.send_queue.mark_sent(ids[0], kNow + 10);
    repos.results.set_recipient_funnel(ids[0], Funnel{2, kNow + 20, kNow + 30, 0, kNow + 40});
    repos.results.add_to_counters(id, CounterDelta{1, 1, 0, 1, 2});
  });
  read([&](Repositories& repos) {
    RecipientFilter clicked;
    clicked.result_rank = 2;
    const auto page = repos.results.list_recipients(id, clicked, PageRequest{0, 10});
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].id, ids[0]);
    RecipientFilter search;
    search.search = "_100%";  // wildcards are literal
    const auto found = repos.results.list_recipients(id, search, PageRequest{0, 10});
    ASSERT_EQ(found.items.size(), 1u);
    EXPECT_EQ(found.items[0].fields.email, "Cy_100%@x.example");
    search.search = "ANN";  // case does not matter
    EXPECT_EQ(repos.results.list_recipients(id, search, PageRequest{0, 10}).items.size(), 1u);
    RecipientFilter reported;
    reported.reported_only = true;
    EXPECT_EQ(repos.results.list_recipients(id, reported, PageRequest{0, 10}).items.size(), 1u);
    RecipientFilter queued;
    queued.state = SendState::kQueued;
    const auto first_page = repos.results.list_recipients(id, queued, PageRequest{0, 1});
    ASSERT_EQ(first_page.items.size(), 1u);
    EXPECT_EQ(first_page.next_after, ids[1]);
    const auto funnel = repos.results.recipient_funnel(ids[0]);
    ASSERT_TRUE(funnel.has_value());
    EXPECT_EQ(funnel->funnel, (Funnel{2, kNow + 20, kNow + 30, 0, kNow + 40}));
    const auto counts = repos.results.result_counts(id);
    EXPECT_EQ(counts.opened, 1);
    EXPECT_EQ(counts.reported, 1);
    EXPECT_EQ(counts.automated_events, 2);
    EXPECT_EQ(repos.results.activity_span(id), std::make_pair(kNow + 10, kNow + 40));
    const auto timeline = repos.results.timeline(id, 3600);
    ASSERT_EQ(timeline.size(), 1u);
    EXPECT_EQ(timeline[0].sent, 1);
    EXPECT_EQ(timeline[0].clicked, 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignsStoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill
