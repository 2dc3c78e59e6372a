// The signature a webhook receiver checks:
//   X-Phishdrill-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// Binding the time into the MAC lets receivers refuse replays. Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace phishdrill::service {

std::string webhook_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body);

}  // namespace phishdrill::service
