// Fuzzes reading an HTTP request as the servers do: the request line, header
// fields and body (parse_request, Beast and Boost.URL underneath), then what
// handlers read from it: routing with path parameters, query parameters,
// cookies and form bodies. Invariants: a parsed request has a method and an
// absolute path, respects the limits, and a matched route's parameters are
// non-empty path segments.
#include <string>

#include "fuzz_input.h"
#include "net/request_parser.h"
#include "net/router.h"

using phishdrill::fuzz::check;
namespace net = phishdrill::net;

namespace {

net::Response ok(net::Request&) { return net::Response::no_content(); }

const net::Router& router() {
  static const net::Router instance = [] {
    net::Router r;
    r.add("GET", "/", ok);
    r.add("POST", "/", ok);
    r.add("GET", "/track", ok);
    r.add("GET", "/api/v1/groups/{id}", ok);
    r.add("PUT", "/api/v1/groups/{id}/targets/{target_id}", ok);
    r.add("GET", "/learn/{token}", ok);
    r.add("POST", "/api/v1/session", ok);
    r.set_get_fallback("spa", ok);
    return r;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const net::RequestLimits limits{.max_header_bytes = 4096, .max_body_bytes = 4096};
  auto request = net::parse_request(phishdrill::fuzz::as_text(data, size), limits);
  if (!request) {
    check(request.error().code == phishdrill::ErrorCode::kBadRequest, "failures are bad requests");
    return 0;
  }
  check(!request->method.empty(), "a request has a method");
  check(request->path.starts_with('/'), "the path is absolute");
  check(request->body.size() <= limits.max_body_bytes, "the body limit holds");

  const auto match = router().match(request->method, request->path);
  if (match.route != nullptr) {
    for (const auto& [name, value] : match.params) {
      check(!name.empty() && !value.empty(), "path parameters are named and non-empty");
      check(value.find('/') == std::string::npos, "a path parameter is one segment");
    }
  }
  (void)request->query_param("rid");
  (void)request->cookie("pd_session");
  (void)request->header("Content-Type");
  for (const auto& [name, value] : net::parse_form(request->body)) {
    check(name.size() + value.size() <= request->body.size(), "form fields come from the body");
  }
  return 0;
}
