// RandomTokens: the production TokenSource, libsodium's CSPRNG
// (crypto::random_token). Stateless and thread-safe.
#pragma once

#include "core/token_source.h"

namespace phishdrill::crypto {

class RandomTokens final : public TokenSource {
 public:
  std::string token(std::size_t bytes) const override;
};

}  // namespace phishdrill::crypto
