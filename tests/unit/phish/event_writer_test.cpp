// EventWriter: the single writer of tracking hits. A hit's completion runs
// only once the hit is in the store, a finished campaign's hit is rejected
// with nothing written, and stop() commits what is queued before it returns.
#include "phish/event_writer.h"

#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill::phish {
namespace {

constexpr std::int64_t kLaunch = 1'700'000'000;

class EventWriterTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      const auto made = testing_support::make_test_workspace(
          repos, {"ana@example.com", "ben@example.com", "cy@example.com"}, kLaunch);
      workspace_id_ = made.audience.workspace_id;
      campaign_id_ = testing_support::launch_test_campaign(repos, made.audience, made.tmpl,
                                                           "Payroll", std::nullopt, kLaunch);
    });
  }

  service::Hit open_by(std::size_t person, std::int64_t at) {
    std::optional<RidInfo> info;
    read([&](Repositories& repos) {
      info = repos.events.find_rid(testing_support::test_rid(campaign_id_, person));
    });
    service::Hit hit;
    hit.event.workspace_id = workspace_id_;
    hit.event.campaign_id = campaign_id_;
    hit.event.recipient_id = info.value().recipient_id;
    hit.event.kind = "opened";
    hit.event.at = at;
    hit.event.ip = "203.0.113.9";
    hit.email = info->fields.email;
    hit.rank = 1;
    return hit;
  }

  std::size_t events_in_store() {
    std::size_t n = 0;
    read([&](Repositories& repos) {
      n = repos.events.list_events(campaign_id_, 0, PageRequest{0, 500}).items.size();
    });
    return n;
  }

  std::int64_t workspace_id_ = 0;
  std::int64_t campaign_id_ = 0;
};

TEST_F(EventWriterTest, AHitIsCompletedOnlyOnceItIsInTheStore) {
  EventWriter writer(*store_);
  std::promise<std::size_t> seen_at_completion;
  writer.submit(open_by(0, kLaunch + 60), [&](EventWriter::Outcome outcome) {
    EXPECT_EQ(outcome, EventWriter::Outcome::kRecorded);
    seen_at_completion.set_value(events_in_store());  // read from the completion itself
  });
  EXPECT_EQ(seen_at_completion.get_future().get(), 1u);
  writer.stop();
}

TEST_F(EventWriterTest, AFinishedCampaignsHitIsRejectedAndNothingIsWritten) {
  write([&](Repositories& repos) {
    auto campaign = repos.campaigns.find_campaign(workspace_id_, campaign_id_).value();
    campaign.status = CampaignStatus::kCompleted;
    ASSERT_TRUE(repos.campaigns.set_campaign_state(campaign, CampaignStatus::kActive));
  });
  EventWriter writer(*store_);
  std::promise<EventWriter::Outcome> outcome;
  writer.submit(open_by(0, kLaunch + 60), [&](EventWriter::Outcome o) { outcome.set_value(o); });
  EXPECT_EQ(outcome.get_future().get(), EventWriter::Outcome::kRejected);
  writer.stop();
  EXPECT_EQ(events_in_store(), 0u);
}

TEST_F(EventWriterTest, StopCommitsEverythingQueuedInBatchesNoLargerThanTheLimit) {
  EventWriter writer(*store_, 2);
  std::vector<EventWriter::Outcome> outcomes;
  std::mutex outcomes_mutex;
  for (std::size_t i = 0; i < 9; ++i) {
    writer.submit(open_by(i % 3, kLaunch + 60 + static_cast<std::int64_t>(i)),
                  [&](EventWriter::Outcome o) {
                    std::lock_guard lock(outcomes_mutex);
                    outcomes.push_back(o);
                  });
  }
  writer.stop();  // returns once every queued hit is committed and completed
  EXPECT_EQ(outcomes, std::vector<EventWriter::Outcome>(9, EventWriter::Outcome::kRecorded));
  EXPECT_EQ(events_in_store(), 9u);
}

TEST_F(EventWriterTest, AHitSubmittedAfterStopFailsAndIsNotWritten) {
  EventWriter writer(*store_);
  writer.stop();
  std::optional<EventWriter::Outcome> outcome;
  writer.submit(open_by(0, kLaunch + 60), [&](EventWriter::Outcome o) { outcome = o; });
  EXPECT_EQ(outcome, EventWriter::Outcome::kFailed);  // answered at once, on this thread
  EXPECT_EQ(events_in_store(), 0u);
}

}  // namespace
}  // namespace phishdrill::phish
