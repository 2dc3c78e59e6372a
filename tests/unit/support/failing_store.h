// FailingStore: a Store that passes every transaction to a real one until
// told to fail its reads or writes, which then return kInternal without
// running — the way a disk error or a lost database connection looks to a
// use case. For the error paths of services. Thread-compatible.
#pragma once

#include <atomic>

#include "store/store.h"

namespace phishdrill::testing_support {

class FailingStore final : public Store {
 public:
  explicit FailingStore(Store& real) : real_(real) {}

  std::atomic<bool> fail_reads{false};
  std::atomic<bool> fail_writes{false};

  Result<void> write(const Work& work) override {
    if (fail_writes) return fail(ErrorCode::kInternal, "database: disk I/O error");
    return real_.write(work);
  }
  Result<void> read(const Work& work) override {
    if (fail_reads) return fail(ErrorCode::kInternal, "database: disk I/O error");
    return real_.read(work);
  }
  Result<int> migrate() override { return real_.migrate(); }
  const ChangeGenerations& generations() const override { return real_.generations(); }

 private:
  Store& real_;
};

}  // namespace phishdrill::testing_support
