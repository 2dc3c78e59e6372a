// Accounts made outside the API (service/first_admin.h): the first admin on
// an empty database only, with a generated password or the configured one
// and the configured API key; `user add` on the command line.
#include "service/first_admin.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "service/api_keys.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
constexpr const char* kApiKey = "pd_0123456789abcdefghijklmnopqrstuvwxyz";

class FirstAdminTest : public testing_support::StoreFixture {
 protected:
  testing_support::FakeTokens tokens_;
};

TEST_F(FirstAdminTest, GeneratesAPasswordThatMustBeChanged) {
  auto created = create_first_admin(*store_, tokens_, {" Root@Example.test ", "", ""}, kNow);
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->email, "root@example.test");
  EXPECT_EQ(created->generated_password, "t1" + std::string(22, '_'));  // the first token
  read([&](Repositories& repos) {
    auto credentials = repos.accounts.find_credentials("root@example.test");
    ASSERT_TRUE(credentials.has_value());
    EXPECT_TRUE(credentials->user.must_change_password);
    EXPECT_EQ(credentials->user.role, Role::kAdmin);
    EXPECT_TRUE(crypto::verify_password(credentials->password_hash, created->generated_password));
    EXPECT_EQ(repos.audit.list(credentials->user.workspace_id, {}).items.at(0).actor.label,
              "bootstrap");
  });
}

TEST_F(FirstAdminTest, OnlyOnAnEmptyDatabaseWithTheConfiguredKey) {
  auto first =
      create_first_admin(*store_, tokens_, {"root@example.test", "a-long-password", kApiKey}, kNow);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(first->generated_password.empty());
  auto who = authenticate_api_key(*store_, kApiKey, kNow);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->role, Role::kAdmin);
  auto second = create_first_admin(*store_, tokens_, {"other@example.test", "", ""}, kNow);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->created);
}

TEST_F(FirstAdminTest, RefusesBadSettings) {
  EXPECT_EQ(create_first_admin(*store_, tokens_, {"nope", "", ""}, kNow).error().code,
            ErrorCode::kValidation);
  EXPECT_EQ(
      create_first_admin(*store_, tokens_, {"a@example.test", "short", ""}, kNow).error().code,
      ErrorCode::kValidation);
  EXPECT_EQ(
      create_first_admin(*store_, tokens_, {"a@example.test", "", "pd_short"}, kNow).error().code,
      ErrorCode::kValidation);
}

TEST_F(FirstAdminTest, CliUserJoinsOrCreatesTheirWorkspace) {
  auto password =
      add_cli_user(*store_, tokens_, {"ops@example.test", "Ops", "operator", "", "Red"}, kNow);
  ASSERT_TRUE(password.has_value()) << password.error().message;
  EXPECT_EQ(password->size(), 24u);
  auto given = add_cli_user(*store_, tokens_,
                            {"ops2@example.test", "Ops", "viewer", "a-long-password", "Red"}, kNow);
  ASSERT_TRUE(given.has_value());
  EXPECT_TRUE(given->empty());
  read([&](Repositories& repos) {
    auto red = repos.accounts.find_workspace_by_name("Red");
    ASSERT_TRUE(red.has_value());
    EXPECT_EQ(repos.accounts.list_users(red->id, {}).items.size(), 2u);
  });
  EXPECT_EQ(
      add_cli_user(*store_, tokens_, {"x@example.test", "", "root", "", ""}, kNow).error().code,
      ErrorCode::kValidation);
  EXPECT_EQ(
      add_cli_user(*store_, tokens_, {"ops@example.test", "", "viewer", "", ""}, kNow).error().code,
      ErrorCode::kConflict);
}

// Nodes starting together on an empty shared database: every one starts, and
// exactly one creates the first admin.
class FirstAdminRaceTest : public testing_support::StoreConformance {
 protected:
  testing_support::FakeTokens tokens_;
};

TEST_P(FirstAdminRaceTest, NodesStartingTogetherCreateOneAdmin) {
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) {
    auto opened = backend().open(dir_, key_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    nodes.push_back(std::move(*opened));
  }
  std::atomic<int> ready{0}, created{0}, failed{0};
  std::vector<std::thread> threads;
  for (auto& node : nodes) {
    threads.emplace_back([&, store = node.get()] {
      ++ready;
      while (ready < kNodes) std::this_thread::yield();
      const auto result =
          create_first_admin(*store, tokens_, {"root@example.test", "a-long-password", ""}, kNow);
      if (!result) {
        ++failed;
      } else if (result->created) {
        ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(created, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, FirstAdminRaceTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
