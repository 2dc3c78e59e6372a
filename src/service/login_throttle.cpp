#include "service/login_throttle.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kSweepEverySeconds = 60;

}  // namespace

std::unexpected<Error> refuse_locked(int seconds, std::string_view what) {
  return std::unexpected(
      Error{ErrorCode::kRateLimited,
            fmt::format("too many failed {}; try again in {} seconds", what, seconds),
            {},
            {},
            seconds});
}

void LoginThrottle::update(const std::string& key,
                           const std::function<void(ThrottleWindow&)>& change) {
  auto done = store_.write([&](Repositories& repos) -> Result<void> {
    auto window = repos.throttles.lock_window(key);
    change(window);
    repos.throttles.save_window(key, window);
    return {};
  });
  if (!done) {
    spdlog::warn("event=login_throttle_unavailable message={}", log_value(done.error().message));
  }
}

int LoginThrottle::reserve(const std::string& key, std::int64_t now, int max_failures,
                           int lockout_seconds) {
  sweep(now, lockout_seconds);
  int wait = 0;
  update(key,
         [&](ThrottleWindow& w) { wait = reserve_attempt(w, now, max_failures, lockout_seconds); });
  return wait;
}

void LoginThrottle::refund(const std::string& key) {
  update(key, [](ThrottleWindow& w) { refund_attempt(w); });
}

void LoginThrottle::clear(const std::string& key) {
  auto done = store_.write([&](Repositories& repos) -> Result<void> {
    repos.throttles.forget_window(key);
    return {};
  });
  if (!done) {
    spdlog::warn("event=login_throttle_unavailable message={}", log_value(done.error().message));
  }
}

bool LoginThrottle::settle_failure(const std::string& key, std::int64_t now, int max_failures,
                                   int lockout_seconds) {
  bool locked = false;
  update(key, [&](ThrottleWindow& w) {
    locked = settle_failed_attempt(w, now, max_failures, lockout_seconds);
  });
  return locked;
}

// Once a minute per process: windows that count nothing any more go.
void LoginThrottle::sweep(std::int64_t now, int lockout_seconds) {
  auto due = next_sweep_.load();
  if (now < due || !next_sweep_.compare_exchange_strong(due, now + kSweepEverySeconds)) return;
  (void)store_.write([&](Repositories& repos) -> Result<void> {
    repos.throttles.forget_idle_windows(now, now - lockout_seconds);
    return {};
  });
}

}  // namespace phishdrill::service
