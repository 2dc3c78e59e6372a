// UTF-8 text as Unicode code points and back, for rules that compare
// characters rather than bytes (look-alike domains, people's names).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

// The code points of `text`; each byte that is not part of a well-formed
// sequence becomes U+FFFD, so any input converts.
std::u32string to_code_points(std::string_view text);

// The characters of `text` in order, as views into it: each well-formed
// UTF-8 sequence, and each byte that is not part of one on its own.
std::vector<std::string_view> utf8_characters(std::string_view text);

// UTF-8 for `code_points`; a surrogate or a value above U+10FFFF becomes
// U+FFFD.
std::string to_utf8(std::u32string_view code_points);

}  // namespace phishdrill
