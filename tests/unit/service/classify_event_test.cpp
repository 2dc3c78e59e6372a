// ClassifyEvent: an operator's verdict on one event of their campaign.
#include "service/classify_event.h"

#include <gtest/gtest.h>

#include "service/campaign_fixture.h"
#include "service/create_campaign.h"
#include "service/launch_campaign.h"
#include "service/record_hits.h"

namespace phishdrill::service {
namespace {

using testing_support::kStart;

class ClassifyEventTest : public testing_support::CampaignServiceFixture {
 protected:
  void SetUp() override {
    CampaignServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    campaign_ = launched("Q1");
    other_campaign_ = launched("Q2");
    click_ = human_click(campaign_);
  }

  std::int64_t launched(const std::string& name) {
    auto c = CreateCampaign(*store_, clock_, tokens_, training_)
                 .run(caller_, draft(name, {make_group(name, {"ann@corp.example"})}));
    EXPECT_TRUE(c.has_value());
    if (!c) return 0;
    EXPECT_TRUE(LaunchCampaign(*store_, clock_, tokens_).run(caller_, c->campaign.id, 0));
    return c->campaign.id;
  }

  // Records a human click on the campaign's one recipient; returns the event id.
  std::int64_t human_click(std::int64_t campaign) {
    Hit hit;
    read([&](Repositories& repos) {
      hit.event.recipient_id =
          repos.results.list_recipients(campaign, {}, PageRequest{0, 1}).items.front().id;
    });
    hit.event.workspace_id = ws_;
    hit.event.campaign_id = campaign;
    hit.event.kind = "clicked";
    hit.event.at = kStart + 100;
    hit.event.ip = "198.51.100.7";
    hit.event.user_agent = "Mozilla/5.0";
    hit.rank = 2;
    EXPECT_TRUE(record_hits(*store_, std::vector<Hit>{hit}).has_value());
    std::int64_t id = 0;
    read([&](Repositories& repos) {
      id = repos.events.list_events(campaign, 0, PageRequest{0, 1}).items.front().id;
    });
    return id;
  }

  Result<Verdict> classify(std::int64_t campaign, std::int64_t event, bool automated) {
    return classify_event(*store_, clock_, caller_, campaign, event, automated);
  }

  std::int64_t campaign_ = 0;
  std::int64_t other_campaign_ = 0;
  std::int64_t click_ = 0;
};

TEST_F(ClassifyEventTest, AnAutomatedVerdictTakesTheClickOutOfTheResultsAndBack) {
  auto verdict = classify(campaign_, click_, true);
  ASSERT_TRUE(verdict.has_value()) << verdict.error().message;
  EXPECT_EQ(verdict->reason, "marked automated by op@corp.example");
  EXPECT_EQ(verdict->results.clicked, 0);
  EXPECT_EQ(verdict->results.automated_events, 1);
  const auto log = audit_log();
  EXPECT_EQ(log.front().action, "event.reclassify");
  EXPECT_EQ(log.front().resource_id, click_);
  EXPECT_EQ(log.front().details_json,
            R"({"campaign_id":)" + std::to_string(campaign_) + R"(,"automated":true})");

  verdict = classify(campaign_, click_, false);
  ASSERT_TRUE(verdict.has_value()) << verdict.error().message;
  EXPECT_EQ(verdict->reason, "");
  EXPECT_EQ(verdict->results.clicked, 1);
  EXPECT_EQ(verdict->results.opened, 1);
  EXPECT_EQ(verdict->results.automated_events, 0);
}

TEST_F(ClassifyEventTest, OnlyTheCallersCampaignsOwnEventsCanBeJudged) {
  EXPECT_EQ(classify(campaign_, click_ + 100, true).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(classify(other_campaign_, click_, true).error().code, ErrorCode::kNotFound);
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(classify(campaign_, click_, true).error().code, ErrorCode::kNotFound);
  caller_.workspace_id = ws_;
  EXPECT_EQ(audit_log().front().action, "campaign.launch");  // nothing recorded
  read([&](Repositories& repos) { EXPECT_EQ(repos.results.result_counts(campaign_).clicked, 1); });
}

}  // namespace
}  // namespace phishdrill::service
