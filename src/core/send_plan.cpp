#include "core/send_plan.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>

namespace phishdrill {

std::uint64_t mix64(std::uint64_t seed, std::uint64_t key) {
  // splitmix64 finaliser over the combined input.
  std::uint64_t z = seed ^ (key + 0x9E3779B97F4A7C15ull + (seed << 6) + (seed >> 2));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::size_t pick_weighted(std::uint64_t seed, std::uint64_t key, const std::vector<int>& weights) {
  const std::uint64_t total = std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  if (total == 0) return 0;
  std::uint64_t ticket = mix64(seed, key) % total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const auto w = static_cast<std::uint64_t>(weights[i]);
    if (ticket < w) return i;
    ticket -= w;
  }
  return weights.size() - 1;
}

std::vector<std::size_t> shuffled_order(std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = count; i > 1; --i) {  // Fisher–Yates with reproducible draws
    const std::size_t j = static_cast<std::size_t>(mix64(seed, i) % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Successive open intervals [start, end) of a window, from a given time on.
class OpenTimeline {
 public:
  OpenTimeline(std::int64_t from, const SendWindow& window) : from_(from), window_(window) {
    offset_ = std::int64_t{window.utc_offset_minutes} * 60;
    day_ = floor_div(from + offset_, kDay);
  }

  std::pair<std::int64_t, std::int64_t> next() {
    if (window_.any_time()) {
      const auto start = from_;
      from_ = kForever;
      return {start, kForever};
    }
    for (;;) {
      const std::int64_t day = day_++;
      const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01: Thursday
      if (!window_.days[static_cast<std::size_t>(weekday)]) continue;
      const std::int64_t start = day * kDay + std::int64_t{window_.start_minute} * 60 - offset_;
      const std::int64_t end = day * kDay + std::int64_t{window_.end_minute} * 60 - offset_;
      if (end <= from_) continue;
      return {std::max(start, from_), end};
    }
  }

 private:
  std::int64_t from_;
  const SendWindow& window_;
  std::int64_t offset_ = 0;
  std::int64_t day_ = 0;
};

// Total open seconds in [from, until).
std::int64_t open_seconds(std::int64_t from, std::int64_t until, const SendWindow& window) {
  OpenTimeline timeline(from, window);
  std::int64_t total = 0;
  for (;;) {
    const auto [start, end] = timeline.next();
    if (start >= until) break;
    total += std::min(end, until) - start;
  }
  return total;
}

// Maps sorted offsets (seconds of open time after `from`) to wall-clock times.
std::vector<std::int64_t> place(const std::vector<std::int64_t>& offsets, std::int64_t from,
                                const SendWindow& window) {
  std::vector<std::int64_t> times;
  times.reserve(offsets.size());
  OpenTimeline timeline(from, window);
  auto [start, end] = timeline.next();
  std::int64_t passed = 0;  // open seconds before `start`
  for (const auto offset : offsets) {
    while (end != kForever && offset >= passed + (end - start)) {
      passed += end - start;
      std::tie(start, end) = timeline.next();
    }
    times.push_back(start + (offset - passed));
  }
  return times;
}

}  // namespace

Result<std::vector<std::int64_t>> plan_send_times(const SendPlanInput& in) {
  std::vector<std::int64_t> offsets(in.count);
  std::int64_t limit = kForever;
  if (in.send_by > in.launch_at) {
    const std::int64_t total = open_seconds(in.launch_at, in.send_by, in.window);
    if (total <= 0) {
      return fail(ErrorCode::kValidation,
                  "the sending window has no open time between launch and send_by", "send_by");
    }
    limit = total - 1;
    for (std::size_t i = 0; i < in.count; ++i) {
      // i < 2^32 and total < 2^31 in practice, so the product fits in 63 bits.
      offsets[i] = static_cast<std::int64_t>(i) * total / static_cast<std::int64_t>(in.count);
    }
  } else if (in.rate_per_minute > 0) {
    for (std::size_t i = 0; i < in.count; ++i) {
      offsets[i] = static_cast<std::int64_t>(i) * 60 / in.rate_per_minute;
    }
  }
  if (in.jitter_seconds > 0) {
    for (std::size_t i = 0; i < in.count; ++i) {
      const auto jitter = static_cast<std::int64_t>(
          mix64(in.seed ^ 0x6A17E5ull, i) % static_cast<std::uint64_t>(in.jitter_seconds + 1));
      offsets[i] = std::min(offsets[i] + jitter, limit);
    }
    std::sort(offsets.begin(), offsets.end());
  }
  return place(offsets, in.launch_at, in.window);
}

}  // namespace phishdrill
