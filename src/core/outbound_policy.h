// OutboundPolicy: which addresses Phishdrill may open connections to — SMTP
// relays and webhook receivers. Loopback, unspecified, link-local, cloud
// metadata, multicast and reserved addresses are always refused; private
// ranges (RFC 1918, CGNAT, ULA) are allowed for SMTP relays and refused for
// webhooks; an admin's allow list ([outbound] allow: host names, addresses and
// CIDR ranges) overrides both. The real check runs on every resolved address
// right before connecting (outbound/outbound_guard.h); check_host_literal() is the
// early answer at save time. Immutable after construction; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/network_address.h"

namespace phishdrill {

enum class OutboundPurpose { kSmtpRelay, kWebhook };

class OutboundPolicy {
 public:
  OutboundPolicy() = default;

  // A comma-separated list of host names, addresses and CIDR ranges;
  // surrounding spaces ignored.
  static Result<OutboundPolicy> parse(std::string_view allow_list);

  // May a connection for `purpose` to `host_name` (as configured) go to the
  // resolved `address`?
  bool permits(OutboundPurpose purpose, std::string_view host_name, const IpAddress& address) const;

  // Save-time check of a configured host: a literal address (in any
  // notation a resolver accepts) that permits() would refuse is a 422 on
  // `field`. Host names pass: they are checked when resolved.
  Result<void> check_host_literal(OutboundPurpose purpose, std::string_view host,
                                  std::string_view field) const;

  bool empty() const { return hosts_.empty() && ranges_.empty(); }

 private:
  std::set<std::string> hosts_;  // lower case
  std::vector<CidrRange> ranges_;
};

// The answer an operator sees when a connection is refused by the policy.
std::string outbound_refusal_message(std::string_view host);

}  // namespace phishdrill
