#include "net/http_metrics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace phishdrill::net {
namespace {

std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) out.push_back(line);
  }
  return out;
}

std::uint64_t value_of(const std::string& line) {
  return std::stoull(line.substr(line.rfind(' ') + 1));
}

TEST(HttpMetrics, EmptyRenderHasOnlyFamilyHeaders) {
  HttpMetrics metrics;
  std::string out;
  metrics.render(out);
  EXPECT_NE(out.find("# TYPE phishdrill_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(out.find("# TYPE phishdrill_http_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_TRUE(lines_with(out, "phishdrill_http_requests_total{").empty());
}

TEST(HttpMetrics, RenderAppendsToExistingText) {
  HttpMetrics metrics;
  std::string out = "previous\n";
  metrics.render(out);
  EXPECT_TRUE(out.starts_with("previous\n# HELP"));
}

TEST(HttpMetrics, CounterLineHasRouteMethodAndStatusLabels) {
  HttpMetrics metrics;
  metrics.record("/api/v1/groups/{id}", "GET", 200, 0.002);
  metrics.record("/api/v1/groups/{id}", "GET", 200, 0.003);
  metrics.record("/api/v1/groups/{id}", "GET", 404, 0.001);
  metrics.record("/api/v1/groups", "POST", 201, 0.02);
  std::string out;
  metrics.render(out);
  EXPECT_NE(out.find("phishdrill_http_requests_total{route=\"/api/v1/groups/{id}\",method=\"GET\","
                     "status=\"200\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("phishdrill_http_requests_total{route=\"/api/v1/groups/{id}\",method=\"GET\","
                     "status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(out.find("phishdrill_http_requests_total{route=\"/api/v1/groups\",method=\"POST\","
                     "status=\"201\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(lines_with(out, "phishdrill_http_requests_total{").size(), 3u);
}

TEST(HttpMetrics, HistogramBucketsAreCumulativeAndInfEqualsCount) {
  HttpMetrics metrics;
  const std::string route = "/r";
  for (double s : {0.0001, 0.0007, 0.003, 0.2, 0.2, 3.0, 10.0})
    metrics.record(route, "GET", 200, s);
  std::string out;
  metrics.render(out);
  const auto buckets =
      lines_with(out, "phishdrill_http_request_duration_seconds_bucket{route=\"/r\"");
  ASSERT_EQ(buckets.size(), 13u);  // 12 bounds + +Inf
  std::uint64_t previous = 0;
  for (const auto& line : buckets) {
    const auto v = value_of(line);
    EXPECT_GE(v, previous) << line;
    previous = v;
  }
  EXPECT_NE(buckets.front().find("le=\"0.0005\""), std::string::npos) << buckets.front();
  EXPECT_EQ(value_of(buckets[0]), 1u);   // <= 0.0005
  EXPECT_EQ(value_of(buckets[1]), 2u);   // <= 0.001
  EXPECT_EQ(value_of(buckets[3]), 3u);   // <= 0.005
  EXPECT_EQ(value_of(buckets[8]), 5u);   // <= 0.25
  EXPECT_EQ(value_of(buckets[11]), 5u);  // <= 2.5
  EXPECT_NE(buckets.back().find("le=\"+Inf\""), std::string::npos);
  EXPECT_EQ(value_of(buckets.back()), 7u);

  const auto count =
      lines_with(out, "phishdrill_http_request_duration_seconds_count{route=\"/r\"}");
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(value_of(count[0]), 7u);
  const auto sum = lines_with(out, "phishdrill_http_request_duration_seconds_sum{route=\"/r\"}");
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_NEAR(std::stod(sum[0].substr(sum[0].rfind(' ') + 1)), 13.4038, 1e-6);
}

TEST(HttpMetrics, BucketBoundIsInclusive) {
  HttpMetrics metrics;
  metrics.record("/r", "GET", 200, 0.1);
  std::string out;
  metrics.render(out);
  const auto le = lines_with(out, "le=\"0.1\"");
  ASSERT_EQ(le.size(), 1u);
  EXPECT_EQ(value_of(le[0]), 1u);
  const auto below = lines_with(out, "le=\"0.05\"");
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(value_of(below[0]), 0u);
}

TEST(HttpMetrics, LatencyIsPerRouteAcrossMethods) {
  HttpMetrics metrics;
  metrics.record("/a", "GET", 200, 0.001);
  metrics.record("/a", "POST", 500, 0.001);
  metrics.record("/b", "GET", 200, 0.001);
  std::string out;
  metrics.render(out);
  const auto a = lines_with(out, "_count{route=\"/a\"}");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(value_of(a[0]), 2u);
  const auto b = lines_with(out, "_count{route=\"/b\"}");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(value_of(b[0]), 1u);
}

TEST(HttpMetrics, LabelValuesAreEscaped) {
  HttpMetrics metrics;
  metrics.record("a\"b\\c\nd", "GET", 200, 0.001);
  std::string out;
  metrics.render(out);
  EXPECT_NE(out.find(R"(route="a\"b\\c\nd")"), std::string::npos) << out;
  // No raw newline inside a sample line: every line is a comment or a sample.
  for (const auto& line : lines_with(out, "")) {
    EXPECT_TRUE(line.starts_with("#") || line.starts_with("phishdrill_")) << line;
  }
}

}  // namespace
}  // namespace phishdrill::net
