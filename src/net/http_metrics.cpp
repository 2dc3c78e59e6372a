#include "net/http_metrics.h"

#include <fmt/format.h>

namespace phishdrill::net {
namespace {

// Label values are route patterns and methods we define, but escape anyway.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void HttpMetrics::record(const std::string& route, const std::string& method, int status,
                         double seconds) {
  MutexLock lock(mutex_);
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void HttpMetrics::render(std::string& out) const {
  MutexLock lock(mutex_);
  out += "# HELP phishdrill_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE phishdrill_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format(
        "phishdrill_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
        label(route), label(method), status, count);
  }
  out += "# HELP phishdrill_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE phishdrill_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = label(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format(
          "phishdrill_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
          kBuckets[i], h.buckets[i]);
    }
    out += fmt::format(
        "phishdrill_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r,
        h.count);
    out +=
        fmt::format("phishdrill_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("phishdrill_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                       h.count);
  }
}

}  // namespace phishdrill::net
