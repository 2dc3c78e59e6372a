// The client address of a request, the one both listeners use for throttling,
// audit, tracking and the access log: the TCP peer, or — only when the peer
// is one of the trusted reverse proxies — the last X-Forwarded-For entry
// (the address that proxy saw; earlier entries are whatever the client
// claimed). An entry that is not an IP address is ignored (the peer is used).
// Pure function; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace phishdrill::net {

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::set<std::string>& trusted_proxies);

}  // namespace phishdrill::net
