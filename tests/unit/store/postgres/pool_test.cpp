// pg::Pool against a real PostgreSQL: bounded, reuses what comes back, waits
// then gives up, and replaces a connection that broke.
#include "store/postgres/pool.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "support/postgres_test_store.h"

namespace phishdrill::pg {
namespace {

using namespace std::chrono_literals;

TEST(PgPool, ReusesAConnectionThatCameBack) {
  PD_TEST_PG_URL_OR_SKIP(url);
  Pool pool(url, PoolOptions{2, 1s});
  int first_pid = 0;
  {
    auto conn = pool.checkout();
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    first_pid = (*conn)->backend_pid();
  }
  auto again = pool.checkout();
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ((*again)->backend_pid(), first_pid);
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST(PgPool, NeverOpensMoreThanItsSizeAndTimesOut) {
  PD_TEST_PG_URL_OR_SKIP(url);
  Pool pool(url, PoolOptions{2, 200ms});
  auto a = pool.checkout();
  auto b = pool.checkout();
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE((*a)->backend_pid(), (*b)->backend_pid());
  auto c = pool.checkout();
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 2);
}

TEST(PgPool, AWaitingCheckoutGetsTheConnectionGivenBack) {
  PD_TEST_PG_URL_OR_SKIP(url);
  Pool pool(url, PoolOptions{1, 10s});
  auto checked = pool.checkout();
  ASSERT_TRUE(checked.has_value());
  std::optional<PooledConnection> held(std::move(*checked));
  const int pid = (*held)->backend_pid();
  int waited_pid = 0;
  std::thread waiter([&] {
    auto conn = pool.checkout();
    if (conn) waited_pid = (*conn)->backend_pid();
  });
  // The waiter either waits for the connection or (if it has not started
  // yet) finds it idle: it gets this one either way, never a second.
  held.reset();
  waiter.join();
  EXPECT_EQ(waited_pid, pid);
  EXPECT_EQ(pool.open_connections(), 1);
}

TEST(PgPool, ABrokenConnectionIsClosedAndReplaced) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto killer = Connection::open(url);
  ASSERT_TRUE(killer.has_value());
  Pool pool(url, PoolOptions{1, 1s});
  int broken_pid = 0;
  {
    auto conn = pool.checkout();
    ASSERT_TRUE(conn.has_value());
    broken_pid = (*conn)->backend_pid();
    (*killer)->run("SELECT pg_terminate_backend($1)", broken_pid);
    EXPECT_THROW((*conn)->run("SELECT 1"), Failure);
  }
  EXPECT_EQ(pool.open_connections(), 0);
  auto fresh = pool.checkout();
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
  EXPECT_NE((*fresh)->backend_pid(), broken_pid);
  EXPECT_EQ((*fresh)->run("SELECT 1").int64(0, 0), 1);
}

TEST(PgPool, AConnectionLeftInsideATransactionIsNotReused) {
  PD_TEST_PG_URL_OR_SKIP(url);
  Pool pool(url, PoolOptions{1, 1s});
  int pid = 0;
  {
    auto conn = pool.checkout();
    ASSERT_TRUE(conn.has_value());
    pid = (*conn)->backend_pid();
    (*conn)->exec("BEGIN");
  }
  auto next = pool.checkout();
  ASSERT_TRUE(next.has_value());
  EXPECT_NE((*next)->backend_pid(), pid);
  EXPECT_TRUE((*next)->idle());
}

TEST(PgPool, AnUnreachableDatabaseFailsTheCheckoutAndFreesTheSlot) {
  Pool pool("postgres://app:pw@127.0.0.1:1/pd?connect_timeout=2", PoolOptions{1, 1s});
  auto conn = pool.checkout();
  ASSERT_FALSE(conn.has_value());
  EXPECT_EQ(conn.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 0);
}

}  // namespace
}  // namespace phishdrill::pg
