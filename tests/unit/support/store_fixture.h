// StoreFixture: a migrated store in a fresh temporary folder for each test,
// removed afterwards, with write()/read() that run a callback in a
// transaction and fail the test when the transaction fails, and reopen() for
// a restart. Test fixtures derive from it and call StoreFixture::SetUp()
// first, and stop when it failed or skipped (the backend is unavailable). It runs on the first of
// store_backends(); StoreConformance runs a parameterised suite (TEST_P) once on every backend.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "crypto/sodium.h"
#include "store/store.h"
#include "support/store_backends.h"

namespace phishdrill::testing_support {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "pd_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    key_.fill(42);
    if (const auto why = backend().unavailable(); !why.empty()) GTEST_SKIP() << why;
    auto opened = backend().open(dir_, key_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    auto migrated = store_->migrate();
    ASSERT_TRUE(migrated.has_value()) << migrated.error().message;
    migrations_applied_ = *migrated;
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  virtual StoreBackend backend() const { return store_backends().front(); }

  // Closes the store and opens it again with `key` (a restart); false when it
  // does not open.
  bool reopen(const SecretKey& key) {
    store_.reset();
    auto opened = backend().open(dir_, key);
    if (!opened) return false;
    store_ = std::move(*opened);
    return true;
  }

  // The SQLite backend's file (SQLite-specific tests only).
  std::filesystem::path db_path() const { return dir_ / "phishdrill.db"; }

  template <typename Fn>
  void write(Fn fn) {
    auto result = store_->write([&](Repositories& repos) -> Result<void> {
      fn(repos);
      return {};
    });
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }

  template <typename Fn>
  void read(Fn fn) {
    auto result = store_->read([&](Repositories& repos) -> Result<void> {
      fn(repos);
      return {};
    });
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }

  std::filesystem::path dir_;
  crypto::SecretKey key_{};
  std::unique_ptr<Store> store_;
  int migrations_applied_ = 0;
};

// The store conformance suite's fixture: TEST_P tests on it run once per
// backend, with INSTANTIATE_TEST_SUITE_P(Backends, TheFixture,
// ::testing::ValuesIn(store_backends()), backend_name).
class StoreConformance : public StoreFixture, public ::testing::WithParamInterface<StoreBackend> {
 protected:
  StoreBackend backend() const override { return GetParam(); }
};

}  // namespace phishdrill::testing_support
