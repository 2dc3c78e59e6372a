// Base64 decoding (RFC 4648) of text found in URLs: both the standard
// alphabet ("+/") and the URL-safe one ("-_") are taken, padding is optional,
// since link wrappers use either and often drop the "=". Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// The decoded bytes; nullopt when `text` holds a character outside both
// alphabets (whitespace included), "=" anywhere but at the end, more than two
// "=", or a length that no encoding has (one character left over).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace phishdrill
