// The PostgreSQL store backend of the tests: each test folder gets a schema
// of its own in the database at PHISHDRILL_TEST_PG_URL (scripts/test.sh
// starts a throwaway cluster and sets it), named after the folder, so opening
// the same folder again reaches the same data and tests running in parallel
// never meet. Every open first drops the schemas whose folder is gone (the
// test that made it has finished), so a run leaves no more schemas behind
// than tests running at once. Without the variable there is no PostgreSQL
// backend, and the PostgreSQL-only tests skip with a message.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/secret_key.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_store.h"
#include "store/store.h"

namespace phishdrill::testing_support {

inline constexpr const char* kTestPgUrlVariable = "PHISHDRILL_TEST_PG_URL";
inline constexpr const char* kNoTestPg =
    "PHISHDRILL_TEST_PG_URL is not set: no PostgreSQL to test against (scripts/test.sh starts "
    "one; scripts/pg_test_cluster.sh start DIR prints a URL)";

inline std::optional<std::string> test_pg_url() {
  const char* url = std::getenv(kTestPgUrlVariable);
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// "pdt_" and the folder's name in hex: a lower-case identifier that needs no
// quoting and can be read back.
inline std::string test_schema_of(const std::filesystem::path& dir) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string schema = "pdt_";
  for (const unsigned char c : dir.filename().string()) {
    schema += kHex[c >> 4];
    schema += kHex[c & 15];
  }
  return schema;
}

inline std::filesystem::path folder_of_test_schema(const std::string& schema) {
  std::string name;
  for (std::size_t i = 4; i + 1 < schema.size(); i += 2) {
    name += static_cast<char>(std::stoi(schema.substr(i, 2), nullptr, 16));
  }
  return std::filesystem::temp_directory_path() / name;
}

// `url` whose sessions use `schema` first.
inline std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

inline void drop_finished_test_schemas(pg::Connection& admin) {
  const auto rows = admin.run("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pdt\\_%'");
  for (int i = 0; i < rows.size(); ++i) {
    const std::string schema = rows.text(i, 0);
    std::error_code ec;
    if (std::filesystem::exists(folder_of_test_schema(schema), ec)) continue;
    try {
      admin.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (const pg::Failure&) {
      // Another test process dropped it first.
    }
  }
}

inline Result<std::unique_ptr<Store>> open_postgres_test_store(const std::filesystem::path& dir,
                                                               const SecretKey& key) {
  const auto url = test_pg_url();
  if (!url) return fail(ErrorCode::kInternal, kNoTestPg);
  auto admin = PD_TRY(pg::Connection::open(*url));
  const std::string schema = test_schema_of(dir);
  try {
    drop_finished_test_schemas(*admin);
    admin->exec("CREATE SCHEMA IF NOT EXISTS " + schema);
  } catch (const pg::Failure& failure) {
    return std::unexpected(pg::to_error(failure));
  }
  return open_postgres_store(with_search_path(*url, schema), key, pg::PoolOptions{4, {}});
}

}  // namespace phishdrill::testing_support

// In a test of the PostgreSQL adapter: declares `url`, the test database's
// URL, or skips the test saying why when there is none.
#define PD_TEST_PG_URL_OR_SKIP(url)                                             \
  const auto url##_or_none = ::phishdrill::testing_support::test_pg_url();      \
  if (!url##_or_none) GTEST_SKIP() << ::phishdrill::testing_support::kNoTestPg; \
  const std::string url = *url##_or_none
