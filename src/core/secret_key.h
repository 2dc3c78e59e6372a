// SecretKey: the installation's 32-byte master key (sealing secrets at rest,
// CSRF tokens, keyed MACs), as plain bytes. Only crypto/ operates on it; other
// layers hold and pass it. Plain value type.
#pragma once

#include <array>

namespace phishdrill {

using SecretKey = std::array<unsigned char, 32>;

}  // namespace phishdrill
