// HttpClient: the port through which Phishdrill makes outbound HTTP requests
// (today: webhook deliveries). post_json() sends one POST of a JSON body with
// extra headers, bounded by a timeout, following no redirects; every address
// it connects to passes the OutboundPolicy first (private ranges refused
// unless listed) and URLs with credentials (user:pw@) are refused.
// Implementations: CurlHttpClient (http_client/curl_http_client.h); fakes in
// unit tests. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/outbound_policy.h"

namespace phishdrill {

struct HttpPostResult {
  int status = 0;        // HTTP status, 0 when no response arrived
  std::string error;     // transport error, "" when a response arrived
  bool refused = false;  // the policy refused every address: retrying will not help
};

struct HttpPostOptions {
  std::chrono::seconds timeout{10};
  bool verify_tls = true;
  OutboundPolicy outbound{};
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpPostResult post_json(const std::string& url, const std::string& body,
                                   const HttpHeaders& headers, const HttpPostOptions& options) = 0;
};

}  // namespace phishdrill
