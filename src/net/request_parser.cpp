#include "net/request_parser.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <string>

namespace phishdrill::net {

namespace http = boost::beast::http;

bool parse_target(std::string_view target, Request& request) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  request.path = url->path();
  request.query.clear();
  for (const auto& param : url->params()) request.query.emplace_back(param.key, param.value);
  return true;
}

Result<Request> parse_request(std::string_view raw, const RequestLimits& limits) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::system::error_code ec;
  while (!raw.empty() && !parser.is_done()) {
    const std::size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
    if (ec) return fail(ErrorCode::kBadRequest, "malformed request: " + ec.message());
    if (used == 0) break;
    raw.remove_prefix(used);
  }
  if (!parser.is_done()) return fail(ErrorCode::kBadRequest, "incomplete request");
  if (!raw.empty()) return fail(ErrorCode::kBadRequest, "bytes after the end of the request");

  auto message = parser.release();
  Request request;
  request.method = std::string(message.method_string());
  if (!parse_target(message.target(), request)) {
    return fail(ErrorCode::kBadRequest, "malformed request target");
  }
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

}  // namespace phishdrill::net
