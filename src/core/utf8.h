// UTF-8 checks for text arriving from outside (request bodies, CSV, names).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace phishdrill {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with each byte that does not belong to a well-formed sequence
// replaced by U+FFFD: safe for JSON, logs and HTML whatever arrived.
std::string valid_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end
// inside a multi-byte character (valid input stays valid).
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// True when `text` contains a C0 control character other than tab, or DEL.
// Names and single-line fields must not contain these.
bool has_control_chars(std::string_view text);

}  // namespace phishdrill
