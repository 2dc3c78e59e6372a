// StoreFixture: a migrated SQLite store in a fresh temporary folder for each
// test, removed afterwards, with write()/read() that run a callback in a
// transaction and fail the test when the transaction fails. Test fixtures
// derive from it and call StoreFixture::SetUp() first.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "crypto/sodium.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace phishdrill::testing_support {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "pd_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    key_.fill(42);
    auto opened = open_sqlite_store(db_path().string(), key_);
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

}  // namespace phishdrill::testing_support
