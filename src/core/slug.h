// Making a slug (lowercase ASCII letters, digits and single inner hyphens,
// as content folders are named) from any text: letters and digits kept
// (ASCII lowercased; anything else, accented letters included, separates
// words), at most `max` characters, never starting or ending with '-'.
// "" when nothing is left. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace phishdrill {

std::string slug_of(std::string_view text, std::size_t max = 64);

}  // namespace phishdrill
