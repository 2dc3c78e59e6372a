// The registrable domain of a host name, i.e. the part its owner registered
// ("mail.example.co.uk" -> "example.co.uk"), used to tell whether two mail or
// link domains belong to the same organisation (like DMARC's relaxed
// alignment). Not the full Public Suffix List: a built-in approximation (a
// two-letter country code under a generic second level such as "co" or "com",
// and a short list of hosting suffixes where every customer gets a subdomain,
// e.g. "github.io"), close enough for evidence, not for cookies.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

// The registrable domain of `host` (lower case, trailing dot dropped); the
// host itself when it has too few labels or is an IP address literal.
std::string registrable_domain(std::string_view host);

// The suffix under which `host`'s registrable domain was registered ("co.uk"
// for "mail.example.co.uk", "com" for "example.com"); "" when there is none.
std::string public_suffix(std::string_view host);

// True when `host` equals `domain` or is a subdomain of it ("a.example.org"
// of "example.org"; not "badexample.org"). Case-insensitive.
bool is_same_or_subdomain(std::string_view host, std::string_view domain);

}  // namespace phishdrill
