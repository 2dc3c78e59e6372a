// CampaignViews: the list, one campaign, audience, timeline, recipients and
// events, always the caller's.
#include "service/campaign_views.h"

#include <gtest/gtest.h>

#include "service/campaign_fixture.h"
#include "service/create_campaign.h"
#include "service/launch_campaign.h"
#include "support/test_campaign.h"

namespace phishdrill::service {
namespace {

using testing_support::kStart;

class CampaignViewsTest : public testing_support::CampaignServiceFixture {
 protected:
  std::int64_t create(const std::string& name, std::int64_t group) {
    auto view =
        CreateCampaign(*store_, clock_, tokens_, training_).run(caller_, draft(name, {group}));
    EXPECT_TRUE(view.has_value()) << view.error().message;
    return view ? view->campaign.id : 0;
  }

  void launch(std::int64_t id) {
    ASSERT_TRUE(LaunchCampaign(*store_, clock_, tokens_).run(caller_, id, 0).has_value());
  }

  // Marks the campaign's recipients sent, the first at `first`, each next a minute later.
  void send_all(std::int64_t id, std::int64_t first) {
    write([&](Repositories& repos) {
      std::int64_t at = first;
      for (const auto& r : repos.results.list_recipients(id, {}, PageRequest{0, 100}).items) {
        repos.send_queue.mark_sent(r.id, at);
        at += 60;
      }
    });
  }

  CampaignViews views() { return CampaignViews(*store_, clock_); }
};

TEST_F(CampaignViewsTest, GetAndListShowCountsAndPhase) {
  const auto group = make_group("A", {"ann@corp.example", "bob@corp.example"});
  const auto draft_id = create("Draft", group);
  const auto sent_id = create("Sent", group);
  launch(sent_id);
  send_all(sent_id, kStart + 5);

  auto draft_view = views().get(caller_, draft_id);
  ASSERT_TRUE(draft_view.has_value());
  EXPECT_EQ(draft_view->phase, "draft");
  EXPECT_EQ(draft_view->counts.total, 0);
  auto sent = views().get(caller_, sent_id);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->phase, "sent");
  EXPECT_EQ(sent->counts.sent, 2);
  EXPECT_EQ(sent->campaign.name, "Sent");

  auto list = views().list(caller_, PageRequest{0, 1});
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->items.size(), 1u);
  ASSERT_TRUE(list->next_after.has_value());
  auto rest = views().list(caller_, PageRequest{*list->next_after, 10});
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_FALSE(rest->next_after.has_value());
  EXPECT_EQ(rest->items[0].counts.sent + list->items[0].counts.sent, 2);

  caller_.workspace_id = other_ws_;
  EXPECT_EQ(views().get(caller_, sent_id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(views().list(caller_, PageRequest{})->items.empty());
}

TEST_F(CampaignViewsTest, AudienceCountsGroupsForDraftsAndRecipientsOnceLaunched) {
  const auto group = make_group("A", {"ann@corp.example", "bob@corp.example"});
  const auto id = create("Q1", group);
  EXPECT_EQ(*views().audience(caller_, id), 2);
  launch(id);
  write([&](Repositories& repos) {
    TargetFields cid;
    cid.email = "cid@corp.example";
    auto more = repos.groups.upsert_targets(ws_, {cid}, kStart);
    repos.groups.add_members(group, more.target_ids);
  });
  EXPECT_EQ(*views().audience(caller_, id), 2);  // who it was sent to, not the group today
  EXPECT_EQ(views().audience(caller_, id + 1).error().code, ErrorCode::kNotFound);
}

TEST_F(CampaignViewsTest, TimelineBucketsOverTheActivitySpan) {
  const auto id = create("Q1", make_group("A", {"ann@corp.example", "bob@corp.example"}));
  EXPECT_TRUE(views().timeline(caller_, id)->buckets.empty());
  launch(id);
  send_all(id, kStart + 10);  // kStart + 10 and kStart + 70
  auto timeline = views().timeline(caller_, id);
  ASSERT_TRUE(timeline.has_value());
  EXPECT_EQ(timeline->bucket_seconds, 60);
  ASSERT_EQ(timeline->buckets.size(), 2u);
  EXPECT_EQ(timeline->buckets[0].start, kStart);
  EXPECT_EQ(timeline->buckets[0].sent, 1);
  EXPECT_EQ(timeline->buckets[1].start, kStart + 60);
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(views().timeline(caller_, id).error().code, ErrorCode::kNotFound);
}

TEST_F(CampaignViewsTest, AllRecipientsReadsEveryPageWithTheFilter) {
  std::vector<std::string> emails;
  for (int i = 0; i < 1205; ++i) emails.push_back("p" + std::to_string(i) + "@corp.example");
  const auto id = create("Big", make_group("A", emails));
  launch(id);
  auto all = views().all_recipients(caller_, id, RecipientFilter{});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 1205u);
  RecipientFilter filter;
  filter.search = "p120";
  auto some = views().all_recipients(caller_, id, filter);
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(some->size(), 6u);  // p120, p1200 … p1204
  auto page = views().recipients(caller_, id, filter, PageRequest{0, 4});
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->items.size(), 4u);
  EXPECT_TRUE(page->next_after.has_value());
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(views().all_recipients(caller_, id, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(views().recipients(caller_, id, {}, {}).error().code, ErrorCode::kNotFound);
}

TEST_F(CampaignViewsTest, EventsAreTheCampaignsOwn) {
  const auto id = create("Q1", make_group("A", {"ann@corp.example"}));
  launch(id);
  std::string rid;
  write([&](Repositories& repos) {
    rid = repos.results.list_recipients(id, {}, PageRequest{0, 1}).items.front().rid;
  });
  write([&](Repositories& repos) {
    testing_support::append_test_event(repos, rid, "opened", kStart + 100);
  });
  auto events = views().events(caller_, id, 0, PageRequest{});
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->items.size(), 1u);
  EXPECT_EQ(events->items[0].kind, "opened");
  EXPECT_TRUE(views().events(caller_, id, events->items[0].recipient_id + 1, {})->items.empty());
  EXPECT_EQ(views().events(caller_, id + 1, 0, PageRequest{}).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace phishdrill::service
