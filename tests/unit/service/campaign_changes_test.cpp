// CreateCampaign, UpdateCampaign, DeleteCampaign and FinishCampaign.
#include <gtest/gtest.h>

#include <optional>

#include "service/campaign_fixture.h"
#include "service/create_campaign.h"
#include "service/delete_campaign.h"
#include "service/finish_campaign.h"
#include "service/launch_campaign.h"
#include "service/update_campaign.h"

namespace phishdrill::service {
namespace {

using testing_support::kStart;

class CampaignChangesTest : public testing_support::CampaignServiceFixture {
 protected:
  Result<CampaignView> create(const Campaign& c) {
    return CreateCampaign(*store_, clock_, tokens_, training_).run(caller_, c);
  }

  // An active campaign of two people whose messages wait for a later launch time.
  std::int64_t launched(const std::string& name) {
    auto view = create(draft(name, {make_group(name, {"ann@corp.example", "bob@corp.example"})}));
    EXPECT_TRUE(view.has_value());
    if (!view) return 0;
    auto launched =
        LaunchCampaign(*store_, clock_, tokens_).run(caller_, view->campaign.id, kStart + 3600);
    EXPECT_TRUE(launched.has_value()) << launched.error().message;
    return view->campaign.id;
  }

  std::optional<Campaign> stored(std::int64_t id) {
    std::optional<Campaign> c;
    read([&](Repositories& repos) { c = repos.campaigns.find_campaign(ws_, id); });
    return c;
  }

  Result<CampaignView> finish(std::int64_t id, CampaignStatus target) {
    return FinishCampaign(*store_, clock_).run(caller_, id, target);
  }
};

TEST_F(CampaignChangesTest, CreateDatesSeedsAndAuditsTheDraft) {
  auto view = create(draft("Q1", {make_group("A", {"ann@corp.example"})}));
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_GT(view->campaign.id, 0);
  EXPECT_EQ(view->phase, "draft");
  EXPECT_EQ(view->counts.total, 0);
  EXPECT_EQ(view->campaign.created_at, kStart);
  const auto seed = seed_from_token(testing_support::FakeTokens().token(8));
  EXPECT_EQ(view->campaign.seed, seed);  // the first token the source gave out
  EXPECT_EQ(stored(view->campaign.id)->seed, seed);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "campaign.create");
  EXPECT_EQ(log[0].resource_id, view->campaign.id);
  EXPECT_EQ(log[0].actor.label, "op@corp.example");
  EXPECT_EQ(log[0].details_json, R"({"name":"Q1"})");
}

TEST_F(CampaignChangesTest, SeedsAreNonNegativeAndDependOnTheToken) {
  EXPECT_NE(seed_from_token("abcdefgh"), seed_from_token("abcdefgi"));
  EXPECT_LT(seed_from_token("~~~~~~~~~~~~~~~~~~~~~~~~"), 0x8000000000000000ull);
}

TEST_F(CampaignChangesTest, CreateRefusesUnknownReferencesAndDuplicateNames) {
  auto c = draft("Q1", {make_group("A", {"ann@corp.example"})});
  auto bad = c;
  bad.templates = {{template_id_ + 100, 1}};
  auto refused = create(bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "templates[0].template_id");
  bad = c;
  bad.group_ids = {9999};
  EXPECT_EQ(create(bad).error().field, "group_ids[0]");
  bad = c;
  bad.page_id = 9999;
  EXPECT_EQ(create(bad).error().field, "page_id");
  bad = c;
  bad.profile_id = 9999;
  EXPECT_EQ(create(bad).error().field, "profile_id");
  bad = c;
  bad.follow_up = FollowUp{"no-such-module", "clicked", 7};
  EXPECT_EQ(create(bad).error().field, "follow_up.module");

  ASSERT_TRUE(create(c).has_value());
  auto duplicate = create(c);
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(duplicate.error().field, "name");
  EXPECT_EQ(audit_log().size(), 1u);  // only the one that was saved
}

TEST_F(CampaignChangesTest, AnotherWorkspacesGroupIsNoSuchGroup) {
  std::int64_t theirs = 0;
  write([&](Repositories& repos) { theirs = repos.groups.create_group(other_ws_, "X", 1)->id; });
  auto refused = create(draft("Q1", {theirs}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "group_ids[0]");
}

TEST_F(CampaignChangesTest, UpdateKeepsIdentityAndRefusesLaunchedCampaigns) {
  const auto group = make_group("A", {"ann@corp.example"});
  auto created = create(draft("Q1", {group}));
  ASSERT_TRUE(created.has_value());
  clock_.advance(30);
  UpdateCampaign update(*store_, clock_, training_);
  auto changed = draft("Q1 renamed", {group});
  changed.seed = 5;  // ignored: the seed is the campaign's
  auto view = update.run(caller_, created->campaign.id, changed);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->campaign.id, created->campaign.id);
  EXPECT_EQ(view->campaign.updated_at, kStart + 30);
  EXPECT_EQ(view->phase, "draft");
  const auto saved = stored(created->campaign.id);
  EXPECT_EQ(saved->name, "Q1 renamed");
  EXPECT_EQ(saved->seed, created->campaign.seed);
  EXPECT_EQ(saved->created_at, kStart);
  EXPECT_EQ(audit_log().front().action, "campaign.update");
  EXPECT_EQ(audit_log().front().details_json, R"({"name":"Q1 renamed"})");

  const auto active = launched("Active");
  auto refused = update.run(caller_, active, draft("X", {group}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "status");
  EXPECT_EQ(update.run(caller_, 9999, changed).error().code, ErrorCode::kNotFound);
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(update.run(caller_, created->campaign.id, changed).error().code, ErrorCode::kNotFound);
}

TEST_F(CampaignChangesTest, DeleteRemovesDraftsAndFinishedCampaignsButNotActiveOnes) {
  auto created = create(draft("Q1", {make_group("A", {"ann@corp.example"})}));
  ASSERT_TRUE(created.has_value());
  DeleteCampaign remove(*store_, clock_);
  const auto active = launched("Active");
  auto refused = remove.run(caller_, active);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "status");
  EXPECT_TRUE(stored(active).has_value());

  ASSERT_TRUE(finish(active, CampaignStatus::kCancelled).has_value());
  EXPECT_TRUE(remove.run(caller_, active).has_value());
  EXPECT_FALSE(stored(active).has_value());

  auto other = caller_;
  other.workspace_id = other_ws_;
  EXPECT_EQ(remove.run(other, created->campaign.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(stored(created->campaign.id).has_value());

  ASSERT_TRUE(remove.run(caller_, created->campaign.id).has_value());
  EXPECT_FALSE(stored(created->campaign.id).has_value());
  EXPECT_EQ(audit_log().front().action, "campaign.delete");
  EXPECT_EQ(audit_log().front().details_json, R"({"name":"Q1"})");
  EXPECT_EQ(remove.run(caller_, created->campaign.id).error().code, ErrorCode::kNotFound);
}

TEST_F(CampaignChangesTest, CompleteCancelsUnsentRecipientsOnce) {
  const auto id = launched("Q1");
  clock_.advance(10);
  auto view = finish(id, CampaignStatus::kCompleted);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->campaign.status, CampaignStatus::kCompleted);
  EXPECT_EQ(view->campaign.completed_at, kStart + 10);
  EXPECT_EQ(view->counts.cancelled, 2);
  EXPECT_EQ(view->counts.queued, 0);
  EXPECT_EQ(view->phase, "completed");
  EXPECT_EQ(audit_log().front().action, "campaign.complete");
  EXPECT_EQ(audit_log().front().details_json, R"({"unsent_cancelled":2})");

  auto again = finish(id, CampaignStatus::kCancelled);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message, "only a launched campaign can be cancelled");
  EXPECT_EQ(stored(id)->status, CampaignStatus::kCompleted);
  EXPECT_EQ(stored(id)->completed_at, kStart + 10);
}

TEST_F(CampaignChangesTest, CancelIsAuditedAsACancel) {
  const auto id = launched("Q1");
  auto view = finish(id, CampaignStatus::kCancelled);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->phase, "cancelled");
  EXPECT_EQ(audit_log().front().action, "campaign.cancel");
}

TEST_F(CampaignChangesTest, OnlyAnActiveCampaignOfTheCallerCanBeFinished) {
  auto created = create(draft("Q1", {make_group("A", {"ann@corp.example"})}));
  ASSERT_TRUE(created.has_value());
  auto refused = finish(created->campaign.id, CampaignStatus::kCompleted);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, "only a launched campaign can be completed");
  EXPECT_EQ(stored(created->campaign.id)->status, CampaignStatus::kDraft);

  const auto active = launched("Active");
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(finish(active, CampaignStatus::kCompleted).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(stored(active)->status, CampaignStatus::kActive);
  EXPECT_EQ(finish(active, CampaignStatus::kDraft).error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace phishdrill::service
