// Whether a domain in a reported message imitates one of the organisation's
// own: look-alike characters ("exarnple.org", "examp1e.org", Cyrillic "е" in
// "еxample.org", also when written as an "xn--" A-label), one typing edit
// away ("exmaple.org", "examples.org"), our name with words added
// ("example-secure.com", "login-example.net"), our name under another ending
// ("example.net" for "example.org"), or our domain put in front of someone
// else's ("example.org.account-check.com"). Our own domains and their
// subdomains are never look-alikes. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

struct Lookalike {
  std::string own_domain;  // which of our domains it imitates
  std::string how;         // for a person: "swaps look-alike characters", ...
};

// Compares `domain` (any case, A-labels or Unicode) with each of
// `own_domains`; the first imitation found, or nullopt (also for an IP
// address, a name without a dot, or one longer than 253 bytes).
std::optional<Lookalike> find_lookalike(std::string_view domain,
                                        const std::vector<std::string>& own_domains);

// The skeleton of `label` that look-alikes share: Cyrillic and Greek letters
// that look Latin become those letters, accents are dropped, and "rn", "vv",
// "cl", "0", "1" and "i" become "m", "w", "d", "o", "l" and "l".
std::u32string confusable_skeleton(std::u32string_view label);

}  // namespace phishdrill
