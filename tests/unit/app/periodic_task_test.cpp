// PeriodicTask: the task runs again and again at its interval, never before
// the first interval, and destruction does not wait out a long interval.
#include "app/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace phishdrill::app {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicTask, RunsTheTaskAgainAndAgain) {
  std::atomic<int> runs{0};
  {
    const PeriodicTask task(1ms, [&] { ++runs; });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (runs.load() < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  }
  EXPECT_GE(runs.load(), 3);
}

TEST(PeriodicTask, StopsAtOnceAndNeverRunsBeforeTheFirstInterval) {
  std::atomic<int> runs{0};
  const auto started = std::chrono::steady_clock::now();
  {
    const PeriodicTask task(1h, [&] { ++runs; });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace phishdrill::app
