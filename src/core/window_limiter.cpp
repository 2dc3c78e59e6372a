#include "core/window_limiter.h"

namespace phishdrill {

bool WindowLimiter::allow(const std::string& key, std::int64_t now) {
  MutexLock lock(mutex_);
  if (windows_.size() >= kMaxKeys) {
    std::erase_if(windows_, [&](const auto& w) { return now - w.second.start >= window_; });
  }
  auto& w = windows_[key];
  if (now - w.start >= window_) w = {now, 0};
  if (w.count >= limit_) return false;
  ++w.count;
  return true;
}

}  // namespace phishdrill
