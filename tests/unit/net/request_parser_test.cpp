#include "net/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::net {
namespace {

TEST(ParseRequest, RequestLineHeadersAndDecodedTarget) {
  const auto request = parse_request(
      "GET /p/a%20b?rid=abc&x=1%262&flag HTTP/1.1\r\nHost: phish.example\r\n"
      "Cookie: pd_session=s1\r\n\r\n");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->path, "/p/a b");
  EXPECT_EQ(request->query_param("rid"), "abc");
  EXPECT_EQ(request->query_param("x"), "1&2");
  EXPECT_EQ(request->query_param("flag"), "");
  EXPECT_EQ(request->header("host"), "phish.example");
  EXPECT_EQ(request->cookie("pd_session"), "s1");
  EXPECT_EQ(request->body, "");
}

TEST(ParseRequest, BodyByContentLengthAndChunked) {
  const auto sized =
      parse_request("POST /t HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nuser=a&pw=b");
  ASSERT_TRUE(sized) << sized.error().message;
  EXPECT_EQ(sized->body, "user=a&pw=b");
  const auto chunked = parse_request(
      "POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked) << chunked.error().message;
  EXPECT_EQ(chunked->body, "abcde");
}

TEST(ParseRequest, RefusesIncompleteTrailingAndMalformed) {
  EXPECT_FALSE(parse_request(""));
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\nHost: h\r\n"));
  EXPECT_FALSE(parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"));
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\nBad Header\r\n\r\n"));
  const auto absolute = parse_request("GET http://evil.example/ HTTP/1.1\r\n\r\n");
  ASSERT_FALSE(absolute);
  EXPECT_EQ(absolute.error().code, ErrorCode::kBadRequest);
}

TEST(ParseRequest, AppliesTheLimits) {
  const std::string big_header = "GET / HTTP/1.1\r\nX: " + std::string(200, 'a') + "\r\n\r\n";
  EXPECT_TRUE(parse_request(big_header));
  EXPECT_FALSE(parse_request(big_header, {.max_header_bytes = 100}));
  const std::string body = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
  EXPECT_TRUE(parse_request(body, {.max_body_bytes = 10}));
  EXPECT_FALSE(parse_request(body, {.max_body_bytes = 9}));
}

}  // namespace
}  // namespace phishdrill::net
