// OutboundGuard: enforces an OutboundPolicy on a libcurl easy handle at
// connect time. curl resolves the host and calls the guard for every address
// it is about to connect to (CURLOPT_OPENSOCKETFUNCTION); an address the
// policy refuses gets no socket, so odd notations ("2130706433") and DNS
// rebinding are caught on the address actually used. Proxies from the
// environment are disabled: the checked address must be the peer. One guard
// per handle, living as long as the handle; not thread-safe. Its own small
// library (pd_outbound) so SMTP (mail/) and HTTP (http_client/) share it
// without either owning the other.
#pragma once

#include <curl/curl.h>

#include <string>

#include "core/outbound_policy.h"

namespace phishdrill {

class OutboundGuard {
 public:
  OutboundGuard(OutboundPolicy policy, OutboundPurpose purpose, std::string host);
  OutboundGuard(const OutboundGuard&) = delete;
  OutboundGuard& operator=(const OutboundGuard&) = delete;

  // Sets the socket callback (pointing at this guard) and no proxy on `curl`.
  void install(CURL* curl);

  // Whether an address was refused since the last reset().
  bool refused() const { return refused_; }
  void reset() { refused_ = false; }

 private:
  static curl_socket_t open_socket(void* self, curlsocktype kind, curl_sockaddr* address);

  OutboundPolicy policy_;
  OutboundPurpose purpose_;
  std::string host_;
  bool refused_ = false;
};

}  // namespace phishdrill
