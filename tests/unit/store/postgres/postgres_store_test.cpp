// What only the PostgreSQL store promises beyond the conformance suite:
// migrations run once however many stores start together, transactions
// roll back whole, read transactions cannot write, and an unreachable
// database is kUnavailable without its password in the message.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/postgres_test_store.h"

namespace phishdrill {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = testing_support::test_pg_url();
    if (!url) GTEST_SKIP() << testing_support::kNoTestPg;
    url_ = *url;
    std::string pattern = (std::filesystem::temp_directory_path() / "pd_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    key_.fill(7);
  }

  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> open() {
    auto opened = testing_support::open_postgres_test_store(dir_, key_);
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    return opened ? std::move(*opened) : nullptr;
  }

  std::int64_t count_workspaces(Store& store) {
    std::int64_t count = -1;
    auto result = store.read([&](Repositories& repos) -> Result<void> {
      count = repos.accounts.find_workspace_by_name("Acme") ? 1 : 0;
      return {};
    });
    EXPECT_TRUE(result.has_value()) << result.error().message;
    return count;
  }

  std::string url_;
  std::filesystem::path dir_;
  SecretKey key_{};
};

// `url` logging in as `user` with `password` instead of its own user.
std::string as_user(const std::string& url, const std::string& user, const std::string& password) {
  const auto start = url.find("://") + 3;
  return url.substr(0, start) + user + ":" + password + url.substr(url.find('@'));
}

TEST_F(PostgresStoreTest, ARoleThatMayOnlyReadAndWriteTheTablesStartsOnAMigratedSchema) {
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->migrate().has_value());
  }
  const auto schema = testing_support::test_schema_of(dir_);
  const std::string role = "pd_app_" + schema.substr(4, 24);
  auto admin = pg::Connection::open(url_);
  ASSERT_TRUE(admin.has_value()) << admin.error().message;
  (*admin)->exec("DROP ROLE IF EXISTS " + role);
  (*admin)->exec("CREATE ROLE " + role + " LOGIN PASSWORD 'app-Pa55word'");
  (*admin)->exec("GRANT USAGE ON SCHEMA " + schema + " TO " + role + "; GRANT SELECT, INSERT, " +
                 "UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role +
                 "; GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
  {
    auto store = open_postgres_store(
        testing_support::with_search_path(as_user(url_, role, "app-Pa55word"), schema), key_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    const auto migrated = (*store)->migrate();
    ASSERT_TRUE(migrated.has_value()) << migrated.error().message;
    EXPECT_EQ(*migrated, 0);
    EXPECT_TRUE((*store)
                    ->write([](Repositories& repos) -> Result<void> {
                      repos.accounts.create_workspace("Acme", 1);
                      return {};
                    })
                    .has_value());
  }
  (*admin)->exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

TEST_F(PostgresStoreTest, MigrationsRunOnceWhenStoresStartTogether) {
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kStores; ++i) {
    stores.push_back(open());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&, s = store.get()] {
      while (!go.load()) std::this_thread::yield();
      const auto ran = s->migrate();
      if (ran) {
        applied += *ran;
      } else {
        ++failures;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto again = stores.front()->migrate();
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, 0);
  // Every migration ran exactly once in all: as many as a lone store runs.
  std::filesystem::path lone_dir = dir_.string() + "_lone";
  std::filesystem::create_directory(lone_dir);
  auto lone = testing_support::open_postgres_test_store(lone_dir, key_);
  ASSERT_TRUE(lone.has_value()) << lone.error().message;
  const auto lone_ran = (*lone)->migrate();
  std::filesystem::remove_all(lone_dir);
  ASSERT_TRUE(lone_ran.has_value());
  EXPECT_GE(*lone_ran, 1);
  EXPECT_EQ(applied.load(), *lone_ran);
}

TEST_F(PostgresStoreTest, AThrowingWriteRollsBackAndTheConnectionStaysUsable) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->migrate().has_value());
  auto result = store->write([](Repositories& repos) -> Result<void> {
    repos.accounts.create_workspace("Acme", 1000);
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_EQ(count_workspaces(*store), 0);
  ASSERT_TRUE(store
                  ->write([](Repositories& repos) -> Result<void> {
                    repos.accounts.create_workspace("Acme", 1000);
                    return {};
                  })
                  .has_value());
  EXPECT_EQ(count_workspaces(*store), 1);
}

TEST_F(PostgresStoreTest, AConflictLeavesTheTransactionUsable) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->migrate().has_value());
  std::optional<ErrorCode> second;
  auto result = store->write([&](Repositories& repos) -> Result<void> {
    const auto ws = repos.accounts.create_workspace("Acme", 1000);
    User user;
    user.workspace_id = ws.id;
    user.email = "a@x.example";
    PD_TRY(repos.accounts.create_user(user, "hash"));
    auto again = repos.accounts.create_user(user, "hash");
    if (!again) second = again.error().code;
    user.email = "b@x.example";
    PD_TRY(repos.accounts.create_user(user, "hash"));
    return {};
  });
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(second, ErrorCode::kConflict);
  std::int64_t users = 0;
  ASSERT_TRUE(store
                  ->read([&](Repositories& repos) -> Result<void> {
                    users = repos.accounts.count_users();
                    return {};
                  })
                  .has_value());
  EXPECT_EQ(users, 2);
}

TEST_F(PostgresStoreTest, AReadTransactionCannotWrite) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->migrate().has_value());
  auto result = store->read([](Repositories& repos) -> Result<void> {
    repos.accounts.create_workspace("Acme", 1000);
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("25006"), std::string::npos) << result.error().message;
  EXPECT_EQ(count_workspaces(*store), 0);
}

// Reads run outside a transaction on their own read-only sessions: when the
// server dropped those (a restart, an idle timeout), the next read runs once
// more on a fresh session instead of failing.
TEST_F(PostgresStoreTest, AReadOnASessionTheServerDroppedRunsAgainOnAFreshOne) {
  auto migrated = open();
  ASSERT_NE(migrated, nullptr);
  ASSERT_TRUE(migrated->migrate().has_value());
  const std::string name = "pdtest_" + std::to_string(::getpid()) + "_dropped";
  auto opened = open_postgres_store(
      testing_support::with_search_path(url_, testing_support::test_schema_of(dir_)) +
          "&application_name=" + name,
      key_);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  auto& store = **opened;
  EXPECT_EQ(count_workspaces(store), 0);
  auto admin = pg::Connection::open(url_);
  ASSERT_TRUE(admin.has_value()) << admin.error().message;
  const auto dropped = (*admin)->run(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
      name);
  ASSERT_GE(dropped.int64(0, 0), 1);
  EXPECT_EQ(count_workspaces(store), 0);
  EXPECT_EQ(count_workspaces(store), 0);
}

TEST_F(PostgresStoreTest, AnUnreachableDatabaseIsUnavailableWithoutItsPassword) {
  const auto opened =
      open_postgres_store("postgres://app:Hidden-Pa55@127.0.0.1:1/pd?connect_timeout=2", key_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message.find("Hidden-Pa55"), std::string::npos);
}

// Two nodes claiming at once: the second takes the deliveries the first has
// not locked, at once, instead of waiting for the first to commit.
TEST_F(PostgresStoreTest, ConcurrentClaimsTakeDifferentDeliveriesWithoutWaiting) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->migrate().has_value());
  ASSERT_TRUE(store
                  ->write([](Repositories& repos) -> Result<void> {
                    const auto ws = repos.accounts.create_workspace("Acme", 1000);
                    Webhook w;
                    w.name = "SIEM";
                    w.events = {"clicked"};
                    PD_TRY(repos.webhooks.create_webhook(ws.id, w, {"https://h/…", "u", "s"}));
                    for (int i = 0; i < 4; ++i)
                      repos.webhooks.enqueue(ws.id, "clicked", "{}", 1000);
                    return {};
                  })
                  .has_value());
  std::promise<void> first_claimed;
  std::promise<void> second_done;
  auto second_done_future = second_done.get_future();
  std::vector<std::int64_t> first_ids;
  bool second_was_quick = false;
  std::thread first([&] {
    auto result = store->write([&](Repositories& repos) -> Result<void> {
      for (const auto& d : repos.webhooks.claim_deliveries(2000, 2060, 2)) {
        first_ids.push_back(d.delivery.id);
      }
      first_claimed.set_value();
      second_was_quick =
          second_done_future.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
      return {};
    });
    EXPECT_TRUE(result.has_value());
  });
  first_claimed.get_future().wait();
  std::vector<std::int64_t> second_ids;
  auto result = store->write([&](Repositories& repos) -> Result<void> {
    for (const auto& d : repos.webhooks.claim_deliveries(2000, 2060, 10)) {
      EXPECT_EQ(d.url_sealed, "u");
      EXPECT_EQ(d.secret_sealed, "s");
      second_ids.push_back(d.delivery.id);
    }
    return {};
  });
  second_done.set_value();
  first.join();
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_TRUE(second_was_quick) << "the second claim waited for the first transaction";
  ASSERT_EQ(first_ids.size(), 2u);
  ASSERT_EQ(second_ids.size(), 2u);
  for (const auto id : second_ids) {
    EXPECT_EQ(std::count(first_ids.begin(), first_ids.end(), id), 0) << "claimed twice: " << id;
  }
}

}  // namespace
}  // namespace phishdrill
