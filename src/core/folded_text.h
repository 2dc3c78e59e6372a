// Text folded for comparisons that should not care about case, accents or
// runs of white space: people's names in a display name, searches in the
// simulation library ("CONTRASEÑA", "contrasena" and "Contraseña" are one
// word). Latin letters lose case and diacritics (core/latin_base_letter.h),
// combining marks are dropped, and white space (also no-break spaces) becomes
// single spaces, none at either end. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

std::u32string folded_text(std::string_view text);

// True when `needle`, folded, appears in `haystack`, folded (an empty
// needle is found everywhere).
bool folded_contains(std::string_view haystack, std::string_view needle);

}  // namespace phishdrill
