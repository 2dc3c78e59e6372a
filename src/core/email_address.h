// Email addresses: validation, normalisation and "Name <addr>" mailboxes.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

// A pragmatic check of an addr-spec: local@domain, local part of RFC 5322
// dot-atom characters (no quoted forms), domain of dot-separated LDH labels
// with at least one dot, whole address at most 254 octets, local part at most 64.
bool is_valid_email(std::string_view address);

// Trims surrounding whitespace and lower-cases ASCII letters.
std::string normalize_email(std::string_view address);

struct Mailbox {
  std::string name;     // display name, may be empty; unquoted
  std::string address;  // normalised addr-spec
};

// Parses `addr@x.y`, `<addr@x.y>`, `Name <addr@x.y>` or `"Name, Inc" <addr@x.y>`.
// Fails with kValidation (field = `field`) when the address is invalid or the
// text contains CR/LF.
Result<Mailbox> parse_mailbox(std::string_view text, std::string_view field);

}  // namespace phishdrill
