// Slugs: how content folders (training modules, library simulations) are
// named — lowercase ASCII letters, digits and inner hyphens, 1 to 64
// characters (is_slug) — and making one from any text (slug_of): letters and digits kept
// (ASCII lowercased; anything else, accented letters included, separates
// words), at most `max` characters, never starting or ending with '-'.
// "" when nothing is left. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace phishdrill {

inline constexpr std::size_t kMaxSlug = 64;

bool is_slug(std::string_view text);
std::string slug_of(std::string_view text, std::size_t max = kMaxSlug);

}  // namespace phishdrill
