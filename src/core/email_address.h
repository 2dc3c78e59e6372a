// Email addresses: validation, normalisation and "Name <addr>" mailboxes.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

// A pragmatic check of an addr-spec: local@domain, local part of RFC 5322
// dot-atom characters (no quoted forms; UTF-8 letters allowed, RFC 6532),
// domain of dot-separated LDH labels with at least one dot once converted to
// A-labels (so "bücher.example" is valid), whole address at most 254 octets,
// local part at most 64.
bool is_valid_email(std::string_view address);

// Trims surrounding whitespace and lower-cases ASCII letters; an
// internationalised domain becomes its canonical Unicode form (NFC, lower
// case). ASCII domains, A-labels included, are kept as given.
std::string normalize_email(std::string_view address);

// The address as a relay without SMTPUTF8 takes it: the domain in A-labels
// ("bo@bücher.example" -> "bo@xn--bcher-kva.example"). Fails (kValidation)
// when the local part is not ASCII: that needs SMTPUTF8.
Result<std::string> email_to_ascii(std::string_view address);

struct Mailbox {
  std::string name;     // display name, may be empty; unquoted
  std::string address;  // normalised addr-spec
};

// Parses `addr@x.y`, `<addr@x.y>`, `Name <addr@x.y>` or `"Name, Inc" <addr@x.y>`.
// Fails with kValidation (field = `field`) when the address is invalid or the
// text contains CR/LF.
Result<Mailbox> parse_mailbox(std::string_view text, std::string_view field);

// The domain of `address` ("x@Example.ORG." -> "example.org"): lower case,
// trailing dots and '>' dropped; "" without an '@'.
std::string address_domain(std::string_view address);

// An address written inside a display name ("ceo@example.org" <x@evil.test>
// shows "ceo@example.org"), lower case as written; "" when there is none.
std::string address_in_display_name(std::string_view name);

}  // namespace phishdrill
