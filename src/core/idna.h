// Internationalised domain names (IDNA2008 with the UTS #46 non-transitional
// mapping, through libidn2): the A-label ("xn--") form mail relays without
// SMTPUTF8 need, and the canonical Unicode form kept in the database.
// Pure functions; thread-safe (libidn2 keeps no state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// True when every byte is 7-bit.
bool is_ascii(std::string_view text);

// The domain in A-labels ("bücher.example" -> "xn--bcher-kva.example"),
// lower case. An ASCII domain comes back unchanged. nullopt when the domain
// is not a valid IDN (e.g. disallowed code points, invalid UTF-8).
std::optional<std::string> domain_to_ascii(std::string_view domain);

// The canonical Unicode form (NFC, case-folded per UTS #46) of a valid IDN,
// whether given in U-labels or A-labels; nullopt when not valid.
std::optional<std::string> domain_to_unicode(std::string_view domain);

}  // namespace phishdrill
