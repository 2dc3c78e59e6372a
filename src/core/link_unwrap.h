// The real destination of a link that a mail-security gateway rewrote:
// Microsoft Safe Links, Proofpoint URL Defense (v1, v2, v3), Google's
// redirect, Barracuda Link Protection, Trend Micro Click-Time, Sophos and
// similar wrappers whose target is recoverable from the URL itself. Wrappers
// inside wrappers are peeled up to a fixed depth (5). Links come from hostile
// mail: nothing here fails; bytes a decoded target would hold that are not
// well-formed UTF-8, and control characters, stay percent-escaped, and a URL
// longer than 64 KiB is not looked into. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// The innermost target of `url` (surrounding whitespace trimmed); `url`
// itself when it is not a known wrapper, or its target cannot be recovered
// (an opaque Mimecast token) or is not an absolute URL.
std::string unwrap_link(std::string_view url);

// The value of query parameter `name` in `url` (percent-decoded, '+' read as
// a space, as forms encode it), when present exactly as `name` (the first
// one, when repeated; "" for "?name" or "?name="); nullopt otherwise.
std::optional<std::string> query_parameter(std::string_view url, std::string_view name);

}  // namespace phishdrill
