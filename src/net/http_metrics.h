// HttpMetrics: request counts by route, method and status, and a latency
// histogram by route, rendered in the Prometheus text format.
// Thread-safe (a mutex; recording is a few map operations per request).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/mutex.h"

namespace phishdrill::net {

class HttpMetrics {
 public:
  void record(const std::string& route, const std::string& method, int status, double seconds);
  // Appends the metric families to `out`.
  void render(std::string& out) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mutex_;  // guards requests_ and latency_
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_
      PD_GUARDED_BY(mutex_);
  std::map<std::string, Histogram> latency_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::net
