// The parts of a link's URL that evidence about it needs (scheme, host, path,
// query), split the way a browser reads a link: "\" counts as "/", userinfo
// before "@" is not the host ("https://bank.example@evil.test/" goes to
// evil.test), and a "//host" without a scheme still names a host. No
// validation: any text splits into something. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

struct UrlParts {
  std::string scheme;         // lower case, without ":" ("" when none)
  std::string host;           // lower case, percent-decoded, without port, brackets or trailing dot
  std::string_view path;      // from the first "/" after the host, up to "?" or "#"
  std::string_view query;     // after "?", up to "#" (empty when none)
  std::string_view fragment;  // after "#"
};

// Splits `url`; the views point into `url`. A URL without "//" after its
// scheme (mailto:, data:, a relative path) has no host.
UrlParts split_url(std::string_view url);

// The host of `url` (see UrlParts::host); "" when it has none.
std::string link_host(std::string_view url);

}  // namespace phishdrill
