// Reading an HTTP/1.1 request into a Request: the request target (path
// percent-decoded, query decoded, as the server does for every request) and,
// for a whole request held in memory (unit tests and the fuzzer), the request
// line, header fields and body under the same size limits the server applies.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "net/http_message.h"
#include "net/router.h"

namespace phishdrill::net {

struct RequestLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = kDefaultBodyLimit;
};

// Sets request.path and request.query from an origin-form target
// ("/a%20b?x=1&y"); false (request untouched) when the target is malformed.
bool parse_target(std::string_view target, Request& request);

// Parses exactly one complete request (method, target, headers, body by
// Content-Length or chunked). Fails with kBadRequest when the bytes are not a
// well-formed request, stop before its end, go on after it, or exceed a limit.
Result<Request> parse_request(std::string_view raw, const RequestLimits& limits = {});

}  // namespace phishdrill::net
