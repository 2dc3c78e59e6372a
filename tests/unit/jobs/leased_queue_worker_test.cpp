#include "jobs/leased_queue_worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace phishdrill::jobs {
namespace {

using namespace std::chrono_literals;
using Kind = DeliveryVerdict::Kind;

// Steady time that moves only when a test says so.
struct FakeSteady {
  std::chrono::steady_clock::time_point now{};
  SteadyNow fn() {
    return [this] { return now; };
  }
};

// A queue that logs every call ("claim", "renew 2", "handle 1", ...).
class FakeQueue final : public LeasedQueue<int> {
 public:
  std::deque<std::vector<int>> batches;
  std::vector<std::string> log;
  std::function<DeliveryVerdict(int, Lease&)> on_handle = [](int, Lease&) {
    return DeliveryVerdict{};
  };
  std::vector<std::pair<int, Kind>> recorded;

  std::vector<int> claim(int limit) override {
    log.push_back("claim " + std::to_string(limit));
    if (batches.empty()) return {};
    auto b = batches.front();
    batches.pop_front();
    return b;
  }
  void renew(const int& item) override { log.push_back("renew " + std::to_string(item)); }
  void release(const int& item) override { log.push_back("release " + std::to_string(item)); }
  DeliveryVerdict handle(const int& item, Lease& lease) override {
    log.push_back("handle " + std::to_string(item));
    return on_handle(item, lease);
  }
  void record(const int& item, const DeliveryVerdict& v) override {
    log.push_back("record " + std::to_string(item));
    recorded.emplace_back(item, v.kind);
  }
};

class LeasedQueueWorkerTest : public ::testing::Test {
 protected:
  LeasedQueueWorker<int> worker(int batch) {
    return LeasedQueueWorker<int>(queue_, stopping_,
                                  {.batch = batch, .lease_seconds = 30, .now = steady_.fn()});
  }
  FakeQueue queue_;
  std::atomic<bool> stopping_{false};
  FakeSteady steady_;
};

TEST_F(LeasedQueueWorkerTest, NothingDueIsIdle) {
  auto w = worker(4);
  EXPECT_FALSE(w.run_once());
  EXPECT_EQ(queue_.log, (std::vector<std::string>{"claim 4"}));
}

TEST_F(LeasedQueueWorkerTest, EachItemIsHandledThenItsVerdictRecorded) {
  queue_.batches.push_back({1, 2, 3});
  queue_.on_handle = [](int item, Lease&) {
    if (item == 1) return DeliveryVerdict::of(Kind::kSent);
    if (item == 2) return DeliveryVerdict::of(Kind::kRetry);
    return DeliveryVerdict::of(Kind::kFailed);
  };
  auto w = worker(3);
  EXPECT_TRUE(w.run_once());
  EXPECT_EQ(queue_.log, (std::vector<std::string>{"claim 3", "handle 1", "record 1", "handle 2",
                                                  "record 2", "handle 3", "record 3"}));
  EXPECT_EQ(queue_.recorded, (std::vector<std::pair<int, Kind>>{
                                 {1, Kind::kSent}, {2, Kind::kRetry}, {3, Kind::kFailed}}));
}

TEST_F(LeasedQueueWorkerTest, AnItemNotTriedAfterAllIsGivenBackNotRecorded) {
  queue_.batches.push_back({7});
  queue_.on_handle = [](int, Lease&) { return DeliveryVerdict::of(Kind::kGiveBack); };
  auto w = worker(1);
  EXPECT_TRUE(w.run_once());
  EXPECT_EQ(queue_.log, (std::vector<std::string>{"claim 1", "handle 7", "release 7"}));
  EXPECT_TRUE(queue_.recorded.empty());
}

TEST_F(LeasedQueueWorkerTest, StopGivesEveryUnstartedClaimBack) {
  queue_.batches.push_back({1, 2, 3});
  queue_.on_handle = [&](int, Lease& lease) {
    stopping_ = true;
    EXPECT_TRUE(lease.stopping());
    return DeliveryVerdict::of(Kind::kSent);
  };
  auto w = worker(3);
  EXPECT_TRUE(w.run_once());
  EXPECT_EQ(queue_.log, (std::vector<std::string>{"claim 3", "handle 1", "record 1", "release 2",
                                                  "release 3"}));
}

TEST_F(LeasedQueueWorkerTest, WaitingClaimsAreRenewedOnceAThirdOfTheLeaseHasPassed) {
  queue_.batches.push_back({1, 2, 3});
  // Each item takes 6 s; the lease is 30 s, so claims are renewed every 10 s.
  queue_.on_handle = [&](int, Lease&) {
    steady_.now += 6s;
    return DeliveryVerdict{};
  };
  auto w = worker(3);
  EXPECT_TRUE(w.run_once());
  EXPECT_EQ(queue_.log, (std::vector<std::string>{"claim 3", "handle 1", "record 1", "handle 2",
                                                  "record 2", "renew 3", "handle 3", "record 3"}));
}

TEST_F(LeasedQueueWorkerTest, LeaseKeepAliveRenewsOnlyWhenATermHasPassed) {
  queue_.batches.push_back({5});
  queue_.on_handle = [&](int, Lease& lease) {
    lease.keep_alive();  // just claimed: nothing to do
    steady_.now += 9s;
    lease.keep_alive();  // still within the first third
    steady_.now += 1s;
    lease.keep_alive();  // 10 s: renewed
    steady_.now += 5s;
    lease.keep_alive();  // 5 s since the renewal
    lease.renew();       // explicit: always
    return DeliveryVerdict{};
  };
  auto w = worker(1);
  EXPECT_TRUE(w.run_once());
  EXPECT_EQ(queue_.log,
            (std::vector<std::string>{"claim 1", "handle 5", "renew 5", "renew 5", "record 5"}));
}

TEST(IdleBackoffTest, DoublesUpToTheCeilingAndResetsOnWork) {
  IdleBackoff idle(100ms, 350ms);
  EXPECT_EQ(idle.next(), 100ms);
  EXPECT_EQ(idle.next(), 200ms);
  EXPECT_EQ(idle.next(), 350ms);
  EXPECT_EQ(idle.next(), 350ms);
  idle.reset();
  EXPECT_EQ(idle.next(), 100ms);
}

TEST(IdleBackoffTest, EqualBoundsAreAFixedPoll) {
  IdleBackoff idle(500ms, 500ms);
  EXPECT_EQ(idle.next(), 500ms);
  EXPECT_EQ(idle.next(), 500ms);
}

// Counts rounds and never has work; a test waits for a round count on a
// condition variable (with a deadline), not by polling. `on_round` runs
// inside each round, as a launch committing during a claim would.
class Rounds {
 public:
  void add() {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    changed_.notify_all();
  }
  bool wait_for(int at_least) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return count_ >= at_least; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

class CountingSource final : public WorkSource {
 public:
  CountingSource(Rounds& rounds, std::function<void(int)> on_round)
      : rounds_(rounds), on_round_(std::move(on_round)) {}
  bool run_once() override {
    on_round_(++round_);
    rounds_.add();
    return false;
  }

 private:
  Rounds& rounds_;
  std::function<void(int)> on_round_;
  int round_ = 0;
};

TEST(LeasedQueueRunnerTest, WakeEndsAnIdleSleepAndStopJoins) {
  Rounds rounds;
  // An idle sleep of an hour: only wake() or stop() can end it.
  LeasedQueueRunner runner({.threads = 1, .idle_first = 1h, .idle_max = 1h}, [&](int) {
    return std::make_unique<CountingSource>(rounds, [](int) {});
  });
  runner.start();
  ASSERT_TRUE(rounds.wait_for(1));
  runner.wake();  // whether the thread sleeps yet or not, one wake is enough
  ASSERT_TRUE(rounds.wait_for(2));
  const auto before = std::chrono::steady_clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  EXPECT_TRUE(runner.stopping());
}

TEST(LeasedQueueRunnerTest, AWakeWhileTheSourceLooksForWorkIsNotLost) {
  Rounds rounds;
  LeasedQueueRunner* self = nullptr;
  LeasedQueueRunner runner({.threads = 1, .idle_first = 1h, .idle_max = 1h}, [&](int) {
    // The first round finds nothing, and work arrives (with its wake) before
    // the thread goes to sleep.
    return std::make_unique<CountingSource>(rounds, [&](int round) {
      if (round == 1) self->wake();
    });
  });
  self = &runner;
  runner.start();
  EXPECT_TRUE(rounds.wait_for(2)) << "the wake was lost: the thread slept its idle hour";
  runner.stop();
}

}  // namespace
}  // namespace phishdrill::jobs
