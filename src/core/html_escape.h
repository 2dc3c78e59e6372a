// HTML escaping of untrusted text for element content and quoted attributes.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

// Escapes & < > " ' so the result is inert inside element content and inside
// single- or double-quoted attribute values.
std::string html_escape(std::string_view text);

// Appends the escaped form of `text` to `out` (no temporary string).
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace phishdrill
