// DatabaseHealth: /healthz and /metrics answer from its last probe, which
// follows the database going away and coming back.
#include "app/database_health.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/failing_store.h"
#include "support/store_fixture.h"

namespace phishdrill::app {
namespace {

using DatabaseHealthTest = testing_support::StoreFixture;

TEST_F(DatabaseHealthTest, FollowsTheDatabaseGoingAndComingBack) {
  testing_support::FailingStore flaky(*store_);
  // The thread never probes during the test: each probe is the test's own.
  DatabaseHealth health(flaky, std::chrono::hours(1));
  EXPECT_TRUE(health.reachable());  // probed before the first request
  flaky.fail_reads = true;
  EXPECT_TRUE(health.reachable());  // the last probe's answer until the next
  health.probe();
  EXPECT_FALSE(health.reachable());
  flaky.fail_reads = false;
  health.probe();
  EXPECT_TRUE(health.reachable());
}

TEST_F(DatabaseHealthTest, AnUnreachableDatabaseIsKnownFromTheStart) {
  testing_support::FailingStore down(*store_);
  down.fail_reads = true;
  DatabaseHealth health(down, std::chrono::hours(1));
  EXPECT_FALSE(health.reachable());
}

// Destroying it stops its thread at once, however long the interval.
TEST_F(DatabaseHealthTest, StopsWithoutWaitingForTheInterval) {
  const auto started = std::chrono::steady_clock::now();
  { DatabaseHealth health(*store_, std::chrono::hours(1)); }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace phishdrill::app
