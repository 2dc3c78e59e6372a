// TokenSource: the only way domain code and services get unguessable
// strings (session tokens, API keys, rids, CSP nonces, generated passwords),
// so tests can make them predictable. Implementations must be thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace phishdrill {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // `bytes` bytes of randomness, base64url-encoded without padding (so
  // ceil(bytes * 4 / 3) characters from [A-Za-z0-9_-]).
  virtual std::string token(std::size_t bytes) const = 0;
};

}  // namespace phishdrill
