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

TEST_F(SqliteStoreTest, ProfilePasswordIsSealedAtRest) {
  const std::string secret = "S3cret-XYZ";
  SendingProfile created;
  write([&](Repositories& repos) {
    auto result = repos.templates.create_profile(ws_, smtp_profile("Relay", secret));
    ASSERT_TRUE(result.has_value()) << result.error().message;
    created = *result;
  });
  EXPECT_TRUE(created.has_password);
  EXPECT_TRUE(created.password.empty());

  // Neither the database file nor its write-ahead log holds the plaintext.
  std::string bytes = read_bytes(db_path());
  const auto wal = fs::path(db_path().string() + "-wal");
  if (fs::exists(wal)) bytes += read_bytes(wal);
  ASSERT_FALSE(bytes.empty());
  EXPECT_NE(bytes.find("smtp.example.com"), std::string::npos);  // sanity: we read the data
  EXPECT_EQ(bytes.find(secret), std::string::npos);

  read([&](Repositories& repos) {
    auto found = repos.templates.find_profile(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->has_password);
    EXPECT_TRUE(found->password.empty());
    EXPECT_EQ(found->kind, TransportKind::kSmtp);
    EXPECT_EQ(found->tls, TlsMode::kStartTls);
    EXPECT_EQ(found->port, 587);
    EXPECT_EQ(found->rate_per_minute, 30);
    ASSERT_EQ(found->headers.size(), 1u);
    EXPECT_EQ(found->headers[0].name, "X-Mailer");
    for (const auto& p : repos.templates.list_profiles(ws_, {}).items) {
      EXPECT_TRUE(p.password.empty());
    }
    EXPECT_EQ(repos.templates.find_profile_secret(ws_, created.id), secret);
    EXPECT_FALSE(repos.templates.find_profile_secret(other_ws_, created.id).has_value());
    EXPECT_FALSE(repos.templates.find_profile(other_ws_, created.id).has_value());
  });
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
