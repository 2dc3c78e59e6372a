// Base64 (RFC 4648): encoding in the standard alphabet with padding (SASL
// exchanges), and decoding of text found in URLs: both the standard alphabet
// ("+/") and the URL-safe one ("-_") are taken, padding is optional, since
// link wrappers use either and often drop the "=". Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// The decoded bytes; nullopt when `text` holds a character outside both
// alphabets (whitespace included), "=" anywhere but at the end, more than two
// "=", or a length that no encoding has (one character left over).
std::optional<std::string> base64_decode(std::string_view text);

// Standard alphabet, padded, no line breaks.
std::string base64_encode(std::string_view bytes);

}  // namespace phishdrill
