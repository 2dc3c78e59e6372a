// LaunchCampaign: planning, the launch time, and the draft → active claim.
#include "service/launch_campaign.h"

#include <gtest/gtest.h>

#include <set>

#include "service/campaign_fixture.h"
#include "service/create_campaign.h"

namespace phishdrill::service {
namespace {

using testing_support::kStart;

class LaunchCampaignTest : public testing_support::CampaignServiceFixture {
 protected:
  std::int64_t create(const Campaign& c) {
    auto view = CreateCampaign(*store_, clock_, tokens_, training_).run(caller_, c);
    EXPECT_TRUE(view.has_value()) << view.error().message;
    return view ? view->campaign.id : 0;
  }

  Result<CampaignView> launch(std::int64_t id, std::int64_t launch_at = 0) {
    return LaunchCampaign(*store_, clock_, tokens_).run(caller_, id, launch_at);
  }

  std::vector<Recipient> recipients_of(std::int64_t id) {
    std::vector<Recipient> out;
    read([&](Repositories& repos) {
      out = repos.results.list_recipients(id, RecipientFilter{}, PageRequest{0, 100}).items;
    });
    return out;
  }

  CampaignStatus status_of(std::int64_t id) {
    CampaignStatus status = CampaignStatus::kCancelled;
    read([&](Repositories& repos) { status = repos.campaigns.find_campaign(ws_, id)->status; });
    return status;
  }
};

TEST_F(LaunchCampaignTest, PlansOneRecipientPerDistinctTargetAndActivates) {
  const auto a = make_group("A", {"ann@corp.example", "bob@corp.example"});
  const auto b = make_group("B", {"bob@corp.example", "cid@corp.example"});
  const auto id = create(draft("Q1", {a, b}));
  clock_.advance(60);
  const auto tokens_before = tokens_.issued();

  auto view = launch(id);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->campaign.status, CampaignStatus::kActive);
  EXPECT_EQ(view->campaign.launched_at, kStart + 60);
  EXPECT_EQ(view->campaign.launch_at, kStart + 60);  // 0 = now
  EXPECT_EQ(view->counts.total, 3);
  EXPECT_EQ(view->counts.queued, 3);
  EXPECT_EQ(view->phase, "sending");
  EXPECT_EQ(status_of(id), CampaignStatus::kActive);

  const auto recipients = recipients_of(id);
  ASSERT_EQ(recipients.size(), 3u);
  std::set<std::string> emails, rids, message_ids;
  for (const auto& r : recipients) {
    emails.insert(r.fields.email);
    rids.insert(r.rid);
    message_ids.insert(r.message_id);
    EXPECT_EQ(r.state, SendState::kQueued);
    EXPECT_EQ(r.rid.size(), 22u);  // 16 bytes from the token source
    // The template's From wins over the profile's.
    EXPECT_TRUE(r.message_id.ends_with("@corp.example")) << r.message_id;
  }
  EXPECT_EQ(emails,
            (std::set<std::string>{"ann@corp.example", "bob@corp.example", "cid@corp.example"}));
  EXPECT_EQ(rids.size(), 3u);
  EXPECT_EQ(message_ids.size(), 3u);
  EXPECT_EQ(tokens_.issued() - tokens_before, 3);  // rids come from the token source

  const auto log = audit_log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().action, "campaign.launch");
  EXPECT_EQ(log.front().ip, "192.0.2.1");
  EXPECT_EQ(log.front().details_json, R"({"recipients":3,"launch_at":"2024-01-01T09:01:00Z"})");
}

// A launch reads, plans and inserts its targets in batches (5,000 at a time),
// never the whole audience at once: every person across the batches gets one
// recipient, a distinct rid and a send time within the plan.
TEST_F(LaunchCampaignTest, ALaunchLargerThanOneBatchPlansEveryoneOnce) {
  std::vector<std::string> first, second;
  for (int i = 0; i < 7000; ++i) first.push_back("p" + std::to_string(i) + "@corp.example");
  for (int i = 6000; i < 12500; ++i) second.push_back("p" + std::to_string(i) + "@corp.example");
  const auto id = create(draft("Big", {make_group("A", first), make_group("B", second)}));
  auto view = launch(id);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->counts.total, 12500);
  std::set<std::string> emails, rids;
  std::set<std::int64_t> send_times;
  read([&](Repositories& repos) {
    PageRequest page{0, 1000};
    for (;;) {
      const auto got = repos.results.list_recipients(id, RecipientFilter{}, page);
      for (const auto& r : got.items) {
        emails.insert(r.fields.email);
        rids.insert(r.rid);
        send_times.insert(r.send_at);
      }
      if (!got.next_after) break;
      page.after_id = *got.next_after;
    }
  });
  EXPECT_EQ(emails.size(), 12500u);
  EXPECT_EQ(rids.size(), 12500u);
  EXPECT_GE(*send_times.begin(), kStart);
  EXPECT_EQ(audit_log().front().details_json.find(R"({"recipients":12500,)"), 0u);
}

TEST_F(LaunchCampaignTest, ATemplateWithoutFromSendsAsTheProfile) {
  write([&](Repositories& repos) {
    auto t = *repos.templates.find_template(ws_, template_id_);
    t.from.clear();
    ASSERT_TRUE(repos.templates.update_template(ws_, t).has_value());
  });
  const auto id = create(draft("Q1", {make_group("A", {"ann@corp.example"})}));
  ASSERT_TRUE(launch(id).has_value());
  EXPECT_TRUE(recipients_of(id).front().message_id.ends_with("@fallback.example"));
}

TEST_F(LaunchCampaignTest, AFutureLaunchTimeIsKeptAndShownAsScheduled) {
  const auto id = create(draft("Later", {make_group("A", {"ann@corp.example"})}));
  auto view = launch(id, kStart + 3600);
  ASSERT_TRUE(view.has_value()) << view.error().message;
  EXPECT_EQ(view->campaign.launch_at, kStart + 3600);
  EXPECT_EQ(view->phase, "scheduled");
  EXPECT_GE(recipients_of(id).front().send_at, kStart + 3600);
}

TEST_F(LaunchCampaignTest, LaunchingTwiceIsAConflictAndAddsNobody) {
  const auto id = create(draft("Once", {make_group("A", {"ann@corp.example"})}));
  ASSERT_TRUE(launch(id).has_value());
  const auto first = recipients_of(id);
  auto again = launch(id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "status");
  EXPECT_EQ(again.error().message, "this campaign was already launched");
  const auto after = recipients_of(id);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after.front().rid, first.front().rid);
  EXPECT_EQ(audit_log().front().action, "campaign.launch");
  EXPECT_EQ(audit_log().size(), 2u);  // create and one launch
}

// The launch claims the draft with a conditional update, so a launch that
// read the draft before another committed cannot activate it a second time,
// whatever the isolation: its state change reports that nothing changed.
TEST_F(LaunchCampaignTest, TheDraftToActiveChangeWinsOnlyOnce) {
  const auto id = create(draft("Race", {make_group("A", {"ann@corp.example"})}));
  Campaign stale;
  read([&](Repositories& repos) { stale = *repos.campaigns.find_campaign(ws_, id); });
  ASSERT_TRUE(launch(id).has_value());
  write([&](Repositories& repos) {
    stale.status = CampaignStatus::kActive;
    stale.launched_at = kStart + 999;
    EXPECT_FALSE(repos.campaigns.set_campaign_state(stale, CampaignStatus::kDraft));
    EXPECT_EQ(repos.campaigns.find_campaign(ws_, id)->launched_at, kStart);  // untouched
  });
}

// Update and delete hold the status they checked with the same kind of
// conditional update: it fails once the campaign has moved on.
TEST_F(LaunchCampaignTest, HoldingAStaleDraftFailsOnceItWasLaunched) {
  const auto id = create(draft("Held", {make_group("A", {"ann@corp.example"})}));
  Campaign stale;
  write([&](Repositories& repos) {
    stale = *repos.campaigns.find_campaign(ws_, id);
    EXPECT_TRUE(hold_status(repos, stale));  // still a draft: held
  });
  ASSERT_TRUE(launch(id).has_value());
  write([&](Repositories& repos) { EXPECT_FALSE(hold_status(repos, stale)); });
  EXPECT_EQ(status_of(id), CampaignStatus::kActive);
}

TEST_F(LaunchCampaignTest, ASendByThatHasPassedFailsAndLeavesTheDraft) {
  auto c = draft("Late", {make_group("A", {"ann@corp.example"})});
  c.launch_at = kStart + 60;
  c.send_by = kStart + 120;
  const auto id = create(c);
  clock_.advance(600);
  auto result = launch(id);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "send_by");
  EXPECT_EQ(status_of(id), CampaignStatus::kDraft);
}

TEST_F(LaunchCampaignTest, EmptyGroupsFailAndNothingIsWritten) {
  const auto id = create(draft("Empty", {make_group("A", {})}));
  auto result = launch(id);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "group_ids");
  EXPECT_EQ(status_of(id), CampaignStatus::kDraft);
  EXPECT_TRUE(recipients_of(id).empty());
  EXPECT_EQ(audit_log().front().action, "campaign.create");
}

TEST_F(LaunchCampaignTest, ATemplateDeletedSinceTheDraftFailsValidation) {
  const auto id = create(draft("Gone", {make_group("A", {"ann@corp.example"})}));
  write([&](Repositories& repos) { repos.templates.delete_template(ws_, template_id_); });
  auto result = launch(id);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "templates[0].template_id");
  EXPECT_EQ(status_of(id), CampaignStatus::kDraft);
}

TEST_F(LaunchCampaignTest, AnotherWorkspacesCampaignIsNotFound) {
  const auto id = create(draft("Mine", {make_group("A", {"ann@corp.example"})}));
  caller_.workspace_id = other_ws_;
  auto result = launch(id);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(launch(id + 100).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(status_of(id), CampaignStatus::kDraft);
}

}  // namespace
}  // namespace phishdrill::service
