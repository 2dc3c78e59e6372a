#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "store/store.h"
#include "store_test_fixture.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using testing_support::sample_webhook;
using testing_support::SqliteStoreTest;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(SqliteStoreTest, OpenFailsForUnwritableLocation) {
  auto opened = open_sqlite_store((dir_ / "missing" / "dir" / "x.db").string(), key_);
  EXPECT_FALSE(opened.has_value());
}

std::string db_bytes(const fs::path& db) {
  std::string bytes = read_bytes(db);
  const auto wal = fs::path(db.string() + "-wal");
  if (fs::exists(wal)) bytes += read_bytes(wal);
  return bytes;
}

// Rows written in clear by an earlier version are sealed when the store
// migrates.
// Reads run on their own connections: a tracking look-up does not queue
// behind a write transaction (the group commit's fsync), and it sees every
// write committed before it began.
TEST_F(SqliteStoreTest, AReadRunsWhileAWriteTransactionIsOpen) {
  std::promise<void> write_open, read_done;
  auto read_finished = read_done.get_future();
  auto writer = std::async(std::launch::async, [&] {
    return store_->write([&](Repositories& repos) -> Result<void> {
      repos.accounts.create_workspace("Initech", 2000);
      write_open.set_value();
      // Held open until the read is done (or long enough to fail the test).
      read_finished.wait_for(std::chrono::seconds(10));
      return {};
    });
  });
  write_open.get_future().wait();
  const auto started = std::chrono::steady_clock::now();
  std::optional<Workspace> seen;
  read([&](Repositories& repos) {
    seen = repos.accounts.find_workspace(ws_);
    EXPECT_FALSE(repos.accounts.find_workspace_by_name("Initech").has_value());  // not committed
  });
  read_done.set_value();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->name, "Acme");
  ASSERT_TRUE(writer.get().has_value());
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.accounts.find_workspace_by_name("Initech").has_value());
  });
}

TEST_F(SqliteStoreTest, AReadTransactionCannotWrite) {
  auto attempted = store_->read([&](Repositories& repos) -> Result<void> {
    repos.accounts.create_workspace("Initech", 2000);
    return {};
  });
  ASSERT_FALSE(attempted.has_value());
  EXPECT_EQ(attempted.error().code, ErrorCode::kInternal);
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.accounts.find_workspace_by_name("Initech").has_value());
  });
}

// Many readers at once, more than there are reader connections, beside a
// stream of writes: every read succeeds and sees a consistent count.
TEST_F(SqliteStoreTest, ManyConcurrentReadsBesideWritesAllSucceed) {
  std::vector<std::future<int>> readers;
  for (int t = 0; t < 12; ++t) {
    readers.push_back(std::async(std::launch::async, [&] {
      int ok = 0;
      for (int i = 0; i < 50; ++i) {
        ok += store_
                  ->read([&](Repositories& repos) -> Result<void> {
                    if (!repos.accounts.find_workspace(ws_)) return fail(ErrorCode::kNotFound, "");
                    return {};
                  })
                  .has_value();
      }
      return ok;
    }));
  }
  for (int i = 0; i < 50; ++i) {
    write([&](Repositories& repos) {
      repos.accounts.create_workspace("W" + std::to_string(i), 2000);
    });
  }
  for (auto& r : readers) EXPECT_EQ(r.get(), 50);
}

TEST_F(SqliteStoreTest, MigrationSealsWebhookUrlsStoredInClear) {
  const std::string url = "https://hooks.example.com/legacy/S3CRET-TOKEN-42";
  std::int64_t id = 0;
  write([&](Repositories& repos) {
    id = repos.webhooks
             .create_webhook(ws_, sample_webhook(""),
                             {"https://x.example/…", crypto::seal(key_, "https://x.example/"),
                              crypto::seal(key_, "whsec_abcdefghijklmnop")})
             .value()
             .id;
  });
  store_.reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE webhooks SET url = '" + url + "', url_sealed = '' WHERE id = " + std::to_string(id);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  store_ = std::move(open_sqlite_store(db_path().string(), key_).value());
  ASSERT_TRUE(store_->migrate().has_value());
  write([&](Repositories& repos) {
    EXPECT_EQ(repos.webhooks.find_webhook(ws_, id)->url_masked, "https://hooks.example.com/…");
    repos.webhooks.enqueue(ws_, "clicked", "{}", 1000);
    auto due = repos.webhooks.claim_deliveries(2000, 3000, 4);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(crypto::open(key_, due[0].url_sealed).value_or(""), url);
  });
  store_.reset();  // checkpoints the WAL
  EXPECT_EQ(db_bytes(db_path()).find("S3CRET-TOKEN-42"), std::string::npos);
}

// Migration 14 counts the recipients an install already had, and its
// triggers keep counting from there. (StoreFixture: the first backend is
// SQLite, in dir_/phishdrill.db.)
class SqliteUpgradeTest : public testing_support::StoreFixture {};

TEST_F(SqliteUpgradeTest, RecipientCountsStartFromTheRecipientsAnUpgradeFinds) {
  constexpr std::int64_t kNow = 1796083200;
  std::int64_t campaign = 0;
  std::int64_t workspace = 0;
  write([&](Repositories& repos) {
    const auto audience = testing_support::make_test_audience(
        repos, {"a@x.example", "b@x.example", "c@x.example"}, kNow);
    auto tmpl = testing_support::test_template_content();
    tmpl.id = 77;
    campaign =
        testing_support::launch_test_campaign(repos, audience, tmpl, "Before", std::nullopt, kNow);
    workspace = audience.workspace_id;
  });
  ASSERT_NE(campaign, 0);
  store_.reset();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "phishdrill.db").c_str(), &db), SQLITE_OK);
    const char* back_to_13 =
        "DROP TRIGGER recipients_counted_in; DROP TRIGGER recipients_counted_out; "
        "DROP TRIGGER recipients_counted_across; DROP TABLE recipient_state_counts; "
        "DROP TABLE report_mail; DROP TABLE report_feedback_settings; "
        "DROP TABLE report_originals; DROP TABLE reports; DROP TABLE report_clusters; "
        "DROP TABLE mailbox_messages; DROP TABLE reporting_mailboxes; DROP TABLE target_aliases; "
        "DROP INDEX recipients_message_id; DROP INDEX targets_full_name; "
        "DROP INDEX targets_domain; DROP TABLE premise_answers; DROP TABLE imported_simulations; "
        "DROP TABLE training_imports; "
        "ALTER TABLE templates DROP COLUMN phish_scale; "
        "DELETE FROM schema_migrations WHERE version >= 14; "
        "UPDATE recipients SET state = 'sent' WHERE id = (SELECT MIN(id) FROM recipients);";
    EXPECT_EQ(sqlite3_exec(db, back_to_13, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  store_ = std::move(open_sqlite_store((dir_ / "phishdrill.db").string(), key_).value());
  // 14, then 15 and 16 (reporting), 17 (the Phish Scale), 18 (library packs) and 19
  // (training imports for every node) after it
  ASSERT_EQ(store_->migrate().value_or(-1), 6);
  read([&](Repositories& repos) {
    const auto counts = repos.results.count_recipients(campaign);
    EXPECT_EQ(counts.total, 3);
    EXPECT_EQ(counts.sent, 1);
    EXPECT_EQ(counts.queued, 2);
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.campaigns.delete_campaign(workspace, campaign));
  });
  read([&](Repositories& repos) { EXPECT_EQ(repos.results.count_recipients(campaign).total, 0); });
}

}  // namespace
}  // namespace phishdrill
