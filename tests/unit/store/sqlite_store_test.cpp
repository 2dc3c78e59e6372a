#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "store/store.h"
#include "store_test_fixture.h"
#include "support/store_fixture.h"

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

}  // namespace
}  // namespace phishdrill
