#include "service/webhook/webhook_signature.h"

#include "crypto/sodium.h"

namespace phishdrill::service {

std::string webhook_signature(std::string_view secret, std::int64_t timestamp,
                              std::string_view body) {
  const std::string t = std::to_string(timestamp);
  std::string message = t;
  message += '.';
  message += body;
  return "t=" + t + ",v1=" + crypto::hmac_sha256_hex(secret, message);
}

}  // namespace phishdrill::service
