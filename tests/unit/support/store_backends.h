// The store backends the tests run against. Each opens (creating when new)
// the store kept in a test's own folder with the given key; opening the same
// folder again reaches the same data, as a restart would. The store
// conformance suite (tests/unit/store/) runs every test once per backend;
// fixtures that need just one store take the first. Today: SQLite; the
// PostgreSQL backend (issue #12) joins this list.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/secret_key.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace phishdrill::testing_support {

struct StoreBackend {
  std::string name;  // a test-name suffix: letters and digits only
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& dir,
                                               const SecretKey& key)>
      open;
};

inline std::vector<StoreBackend> store_backends() {
  return {{"Sqlite", [](const std::filesystem::path& dir, const SecretKey& key) {
             return open_sqlite_store((dir / "phishdrill.db").string(), key);
           }}};
}

// For gtest's INSTANTIATE_TEST_SUITE_P: the backend's name as the test name.
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

}  // namespace phishdrill::testing_support
