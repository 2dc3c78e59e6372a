// The host a link's shown text names, so that text reading "paypal.com" over
// a link to somewhere else can be caught: a URL ("https://x.example/a"), a
// "www." name, or a bare domain whose ending is a country code or a common
// generic one ("x.example.com/login"; "index.html" and "v1.2" are not
// domains). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

// The first host named in `text` (lower case), or "" when it names none. An
// email address ("help@x.example") does not count. Reads the first 4 KiB.
std::string host_named_by_text(std::string_view text);

}  // namespace phishdrill
