// CurlHttpClient: the HttpClient adapter over libcurl (one easy handle per
// call, so thread-safe). The OutboundGuard checks each address curl is about
// to connect to. This library and mail/ (SMTP) are the only places that
// link curl; neither owns the other.
#pragma once

#include "http_client/http_client.h"

namespace phishdrill {

class CurlHttpClient final : public HttpClient {
 public:
  HttpPostResult post_json(const std::string& url, const std::string& body,
                           const HttpHeaders& headers, const HttpPostOptions& options) override;
};

}  // namespace phishdrill
