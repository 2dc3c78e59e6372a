#include "net/http_message.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::net {
namespace {

Request with_cookie(std::string value) {
  Request request;
  request.headers.emplace_back("Cookie", std::move(value));
  return request;
}

TEST(RequestHeaderLines, JoinsEveryLineOfAListValuedHeaderInOrder) {
  Request r;
  r.headers = {{"X-Forwarded-For", "198.51.100.7"},
               {"Host", "p.example"},
               {"x-forwarded-for", "203.0.113.50, 10.0.0.1"}};
  EXPECT_EQ(r.header("X-Forwarded-For"), "198.51.100.7");  // the first line only
  EXPECT_EQ(r.header_lines("X-Forwarded-For"), "198.51.100.7, 203.0.113.50, 10.0.0.1");
  EXPECT_EQ(r.header_lines("Forwarded"), "");
}

TEST(RequestCookie, FindsEachOfSeveralCookies) {
  const auto request = with_cookie("a=1; pd_session=abc;theme=dark;  spaced=yes");
  EXPECT_EQ(request.cookie("a"), "1");
  EXPECT_EQ(request.cookie("pd_session"), "abc");
  EXPECT_EQ(request.cookie("theme"), "dark");
  EXPECT_EQ(request.cookie("spaced"), "yes");
}

TEST(RequestCookie, AbsentCookieOrHeader) {
  EXPECT_FALSE(with_cookie("a=1; b=2").cookie("c").has_value());
  EXPECT_FALSE(Request{}.cookie("a").has_value());
  EXPECT_FALSE(with_cookie("").cookie("a").has_value());
}

TEST(RequestCookie, NameMustMatchExactly) {
  const auto request = with_cookie("xpd_session=evil; pd_session_old=old");
  EXPECT_FALSE(request.cookie("pd_session").has_value());
  EXPECT_FALSE(request.cookie("session").has_value());
}

TEST(RequestCookie, ValueMayContainEqualsAndBeEmpty) {
  const auto request = with_cookie("token=a=b==; empty=");
  EXPECT_EQ(request.cookie("token"), "a=b==");
  ASSERT_TRUE(request.cookie("empty").has_value());
  EXPECT_EQ(*request.cookie("empty"), "");
}

TEST(RequestCookie, FirstOccurrenceWins) {
  EXPECT_EQ(with_cookie("a=first; a=second").cookie("a"), "first");
}

TEST(RequestCookie, HeaderNameIsCaseInsensitive) {
  Request request;
  request.headers.emplace_back("cookie", "a=1");
  EXPECT_EQ(request.cookie("a"), "1");
}

TEST(RequestCookie, PairWithoutEqualsIsSkipped) {
  const auto request = with_cookie("junk; a=1");
  EXPECT_FALSE(request.cookie("junk").has_value());
  EXPECT_EQ(request.cookie("a"), "1");
}

TEST(RequestHeader, LookupIsCaseInsensitive) {
  Request request;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("x-csrf-token", "t");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(request.header("X-CSRF-Token"), "t");
  EXPECT_EQ(request.header("Authorization"), "");
}

TEST(RequestHeader, FirstMatchingHeaderWins) {
  Request request;
  request.headers.emplace_back("X-A", "1");
  request.headers.emplace_back("x-a", "2");
  EXPECT_EQ(request.header("X-A"), "1");
}

TEST(RequestParams, QueryAndPathParams) {
  Request request;
  request.query = {{"limit", "10"}, {"cursor", ""}, {"limit", "20"}};
  request.path_params = {{"id", "7"}};
  EXPECT_EQ(request.query_param("limit"), "10");
  ASSERT_TRUE(request.query_param("cursor").has_value());
  EXPECT_EQ(*request.query_param("cursor"), "");
  EXPECT_FALSE(request.query_param("LIMIT").has_value());  // query names are case-sensitive
  EXPECT_EQ(request.path_param("id"), "7");
  EXPECT_EQ(request.path_param("other"), "");
}

TEST(ResponseSetHeader, ReplacesCaseInsensitivelyWithoutDuplicating) {
  auto response = Response::json(200, "{}");
  response.set_header("content-type", "text/html");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Content-Type");  // original spelling kept
  EXPECT_EQ(response.headers[0].second, "text/html");
}

TEST(ResponseSetHeader, AppendsNewHeadersAndChains) {
  Response response;
  response.set_header("Cache-Control", "no-store").set_header("Retry-After", "5");
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[0].first, "Cache-Control");
  EXPECT_EQ(response.headers[1].first, "Retry-After");
  EXPECT_EQ(response.headers[1].second, "5");
}

TEST(ResponseFactories, SetStatusBodyAndContentType) {
  const auto json = Response::json(201, R"({"a":1})");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.body, R"({"a":1})");
  ASSERT_EQ(json.headers.size(), 1u);
  EXPECT_EQ(json.headers[0].second, "application/json");

  const auto text = Response::text(404, "nope");
  EXPECT_EQ(text.status, 404);
  EXPECT_EQ(text.headers[0].second, "text/plain; charset=utf-8");

  const auto html = Response::text(200, "<p>", "text/html; charset=utf-8");
  EXPECT_EQ(html.headers[0].second, "text/html; charset=utf-8");

  const auto empty = Response::no_content();
  EXPECT_EQ(empty.status, 204);
  EXPECT_TRUE(empty.body.empty());
  EXPECT_TRUE(empty.headers.empty());
}

}  // namespace
}  // namespace phishdrill::net
