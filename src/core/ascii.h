// Case rules for ASCII protocol text (HTML tag and attribute names, URL
// schemes, header names, host names). Locale-independent: only A-Z fold, so
// bytes of UTF-8 text pass through unchanged. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace phishdrill {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `text` with A-Z folded to a-z.
std::string ascii_lowercase(std::string_view text);

// True when `a` and `b` are equal ignoring ASCII case.
bool ascii_iequals(std::string_view a, std::string_view b);

// True when `text` starts with `prefix`, ignoring ASCII case.
bool ascii_istarts_with(std::string_view text, std::string_view prefix);

// Offset of the first (or last) occurrence of `needle` in `text` ignoring
// ASCII case, or npos.
std::size_t ascii_ifind(std::string_view text, std::string_view needle);
std::size_t ascii_irfind(std::string_view text, std::string_view needle);

}  // namespace phishdrill
