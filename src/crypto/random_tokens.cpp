#include "crypto/random_tokens.h"

#include "crypto/sodium.h"

namespace phishdrill::crypto {

std::string RandomTokens::token(std::size_t bytes) const { return random_token(bytes); }

}  // namespace phishdrill::crypto
