// The store backends the tests run against. Each opens (creating when new)
// the store kept in a test's own folder with the given key; opening the same
// folder again reaches the same data, as a restart would. The store
// conformance suite (tests/unit/store/) runs every test once per backend;
// fixtures that need just one store take the first (SQLite). PostgreSQL runs
// when PHISHDRILL_TEST_PG_URL names a database (support/postgres_test_store.h)
// and skips, saying so, when it does not.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/secret_key.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/postgres_test_store.h"

namespace phishdrill::testing_support {

struct StoreBackend {
  std::string name;  // a test-name suffix: letters and digits only
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& dir,
                                               const SecretKey& key)>
      open;
  // Why its tests cannot run here ("" when they can): they skip, saying so.
  std::function<std::string()> unavailable = [] { return std::string(); };
  // Several stores opened on one folder are several nodes of one install,
  // hearing each other's change notices (PostgreSQL); else one node only.
  bool shared = false;
};

inline std::vector<StoreBackend> store_backends() {
  std::vector<StoreBackend> backends = {
      {"Sqlite", [](const std::filesystem::path& dir, const SecretKey& key) {
         return open_sqlite_store((dir / "phishdrill.db").string(), key);
       }}};
  // Listed even without a database, so every build lists the same tests;
  // they skip when PHISHDRILL_TEST_PG_URL is unset.
  backends.push_back({"Postgres", open_postgres_test_store,
                      [] { return test_pg_url() ? std::string() : std::string(kNoTestPg); },
                      /*shared=*/true});
  return backends;
}

// How gtest shows a backend in test names and failures: by its name.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

// For gtest's INSTANTIATE_TEST_SUITE_P: the backend's name as the test name.
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

}  // namespace phishdrill::testing_support
