// The one fake clock and the one fake token source every unit test uses.
// FakeClock starts where the test says and moves only when told; FakeTokens
// hands out distinct, predictable tokens of the real length and alphabet.
// Both are thread-safe, like the ports they stand in for.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/token_source.h"

namespace phishdrill::testing_support {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now = 1'700'000'000) : now_(now) {}
  std::int64_t now() const override { return now_.load(); }
  void set(std::int64_t t) { now_ = t; }
  void advance(std::int64_t seconds) { now_ += seconds; }

 private:
  std::atomic<std::int64_t> now_;
};

class FakeTokens final : public TokenSource {
 public:
  std::string token(std::size_t bytes) const override {
    const std::size_t length = (bytes * 4 + 2) / 3;
    std::string text = "t" + std::to_string(++issued_);
    text.resize(length, '_');
    return text;
  }
  std::int64_t issued() const { return issued_.load(); }

 private:
  mutable std::atomic<std::int64_t> issued_{0};
};

}  // namespace phishdrill::testing_support
