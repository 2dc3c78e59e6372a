// UTF-8 checks for text arriving from outside (request bodies, CSV, names).
// Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace phishdrill {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// True when `text` contains a C0 control character other than tab, or DEL.
// Names and single-line fields must not contain these.
bool has_control_chars(std::string_view text);

}  // namespace phishdrill
