// Request and Response: the small HTTP types handlers see. No Beast or Asio
// types leak past src/net/; handlers are plain functions Request -> Response.
// Thread-compatible values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace phishdrill::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderList headers;                                      // names as received
  std::string body;
  std::string remote_ip;  // the client: the TCP peer, or whom a trusted proxy forwarded
  std::vector<std::pair<std::string, std::string>> path_params;  // from the route pattern
  std::string route;  // the matched pattern, e.g. "/api/v1/groups/{id}"

  // Case-insensitive header lookup; "" when absent. The first line only.
  std::string_view header(std::string_view name) const;
  // Every line of a list-valued header joined with ", " (RFC 9110 5.3), as
  // a proxy that adds its own X-Forwarded-For line after the client's means it.
  std::string header_lines(std::string_view name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;
  std::string_view path_param(std::string_view name) const;
  // The value of cookie `name` from the Cookie header, if present.
  std::optional<std::string_view> cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;

  Response& set_header(std::string name, std::string value);
  static Response json(int status, std::string body);
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response no_content();
};

// Decodes an application/x-www-form-urlencoded body ('+' is a space).
// Malformed escapes are kept literally.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

}  // namespace phishdrill::net
