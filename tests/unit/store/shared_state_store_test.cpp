// What the nodes sharing a store agree on, on every backend (part of the
// store conformance suite): send slots and throttle windows are one per key
// whichever store instance takes them, and change notices are heard once a
// write commits — by its own store at once and, where the backend is shared
// between nodes, by every other store on the same data — and never when it
// rolls back.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "store/store.h"
#include "support/store_fixture.h"

namespace phishdrill {
namespace {

using namespace std::chrono_literals;

class SharedStateStoreTest : public testing_support::StoreConformance {
 protected:
  // A second node: another store on the same data.
  std::unique_ptr<Store> second_node() {
    auto opened = backend().open(dir_, key_);
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  static SendSlotDecision take(Store& store, std::int64_t profile, SendSlotRate rate) {
    SendSlotDecision decision;
    EXPECT_TRUE(store
                    .write([&](Repositories& repos) -> Result<void> {
                      decision = repos.send_rates.take_send_slot(profile, rate);
                      return {};
                    })
                    .has_value());
    return decision;
  }

  static Result<void> announce(Store& store, ChangeTopic topic, bool commit) {
    return store.write([&](Repositories& repos) -> Result<void> {
      repos.notices.announce(topic);
      if (!commit) return fail(ErrorCode::kConflict, "rolled back");
      return {};
    });
  }

  // Waits (bounded) until `store` has heard `topic` move past `from`.
  static bool heard(const Store& store, ChangeTopic topic, std::uint64_t from) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (store.generations().current(topic) == from) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::yield();
    }
    return true;
  }
};

TEST_P(SharedStateStoreTest, AProfilesSendSlotsAreSharedByEveryStoreOnTheData) {
  auto other = second_node();
  ASSERT_NE(other, nullptr);
  const auto rate = send_slot_rate(60);  // one a second, no burst
  EXPECT_TRUE(take(*store_, 1, rate).taken);
  const auto refused = take(*other, 1, rate);
  EXPECT_FALSE(refused.taken);
  EXPECT_GT(refused.wait_us, 0);
  EXPECT_LE(refused.wait_us, 1'000'000);
  EXPECT_TRUE(take(*other, 2, rate).taken);  // another profile has its own
}

TEST_P(SharedStateStoreTest, ThrottleWindowsAreSharedAndForgottenWhenIdle) {
  auto other = second_node();
  ASSERT_NE(other, nullptr);
  write([&](Repositories& repos) {
    EXPECT_EQ(repos.throttles.lock_window("ip:192.0.2.1").failures, 0);
    repos.throttles.save_window("ip:192.0.2.1", {3, 1000, 0});
    repos.throttles.save_window("ip:192.0.2.2", {5, 1000, 5000});  // locked
    repos.throttles.save_window("ip:192.0.2.3", {1, 4000, 0});     // recent
  });
  ASSERT_TRUE(other
                  ->write([&](Repositories& repos) -> Result<void> {
                    const auto w = repos.throttles.lock_window("ip:192.0.2.1");
                    EXPECT_EQ(w.failures, 3);
                    EXPECT_EQ(w.window_start, 1000);
                    EXPECT_EQ(repos.throttles.forget_idle_windows(4500, 3500), 1);
                    repos.throttles.forget_window("ip:192.0.2.3");
                    return {};
                  })
                  .has_value());
  write([&](Repositories& repos) {
    EXPECT_EQ(repos.throttles.lock_window("ip:192.0.2.1").failures, 0);  // idle: forgotten
    EXPECT_EQ(repos.throttles.lock_window("ip:192.0.2.2").locked_until, 5000);
    EXPECT_EQ(repos.throttles.lock_window("ip:192.0.2.3").failures, 0);
  });
}

TEST_P(SharedStateStoreTest, ACommittedNoticeIsHeardAtOnceARolledBackOneNever) {
  const auto& mine = store_->generations();
  const auto pages = mine.current(ChangeTopic::kLandingPages);
  const auto campaigns = mine.current(ChangeTopic::kCampaigns);
  ASSERT_FALSE(announce(*store_, ChangeTopic::kCampaigns, false).has_value());
  EXPECT_EQ(mine.current(ChangeTopic::kCampaigns), campaigns);
  ASSERT_TRUE(announce(*store_, ChangeTopic::kLandingPages, true).has_value());
  EXPECT_GT(mine.current(ChangeTopic::kLandingPages), pages);
}

TEST_P(SharedStateStoreTest, OtherNodesHearCommittedNoticesOnly) {
  if (!GetParam().shared) GTEST_SKIP() << "one node per store on this backend";
  auto other = second_node();
  ASSERT_NE(other, nullptr);
  // Once the other node hears a notice, it is listening.
  auto profiles = other->generations().current(ChangeTopic::kSendingProfiles);
  ASSERT_TRUE(announce(*store_, ChangeTopic::kSendingProfiles, true).has_value());
  ASSERT_TRUE(heard(*other, ChangeTopic::kSendingProfiles, profiles));
  // Heard notices may arrive late, but in commit order: a later committed
  // one heard means an earlier rolled-back one would have been heard too.
  const auto campaigns = other->generations().current(ChangeTopic::kCampaigns);
  const auto pages = other->generations().current(ChangeTopic::kLandingPages);
  ASSERT_FALSE(announce(*store_, ChangeTopic::kCampaigns, false).has_value());
  ASSERT_TRUE(announce(*store_, ChangeTopic::kLandingPages, true).has_value());
  ASSERT_TRUE(heard(*other, ChangeTopic::kLandingPages, pages));
  profiles = other->generations().current(ChangeTopic::kSendingProfiles);
  ASSERT_TRUE(announce(*store_, ChangeTopic::kSendingProfiles, true).has_value());
  ASSERT_TRUE(heard(*other, ChangeTopic::kSendingProfiles, profiles));
  EXPECT_EQ(other->generations().current(ChangeTopic::kCampaigns), campaigns);
}

INSTANTIATE_TEST_SUITE_P(Backends, SharedStateStoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill
