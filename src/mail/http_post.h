// post_json(): one HTTPS (or HTTP) POST of a JSON body with extra headers,
// through libcurl, with bounded timeouts and no redirects followed. Every
// address connected to passes the OutboundPolicy for webhooks first (private
// ranges refused unless listed); URLs with credentials (user:pw@) are refused.
// Used for webhook deliveries: mail/ owns every outbound delivery channel and
// is the only place that links curl. Thread-safe (one easy handle per call).
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

HttpPostResult post_json(const std::string& url, const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         const HttpPostOptions& options);

}  // namespace phishdrill
