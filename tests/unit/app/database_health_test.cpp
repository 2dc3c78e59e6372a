// DatabaseHealth: /healthz and /metrics answer from its last probe, which
// follows the database going away and coming back.
#include "app/database_health.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/failing_store.h"
#include "support/store_fixture.h"

namespace phishdrill::app {
namespace {

class DatabaseHealthTest : public testing_support::StoreFixture {
 protected:
  // Polls `health` until it says `want` or 5 s pass.
  static bool becomes(const DatabaseHealth& health, bool want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (health.reachable() != want) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }
};

TEST_F(DatabaseHealthTest, FollowsTheDatabaseGoingAndComingBack) {
  testing_support::FailingStore flaky(*store_);
  DatabaseHealth health(flaky, std::chrono::milliseconds(20));
  EXPECT_TRUE(health.reachable());  // probed before the first request
  flaky.fail_reads = true;
  EXPECT_TRUE(becomes(health, false));
  flaky.fail_reads = false;
  EXPECT_TRUE(becomes(health, true));
}

TEST_F(DatabaseHealthTest, AnUnreachableDatabaseIsKnownFromTheStart) {
  testing_support::FailingStore down(*store_);
  down.fail_reads = true;
  DatabaseHealth health(down, std::chrono::hours(1));
  EXPECT_FALSE(health.reachable());
}

}  // namespace
}  // namespace phishdrill::app
