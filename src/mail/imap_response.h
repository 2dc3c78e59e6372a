// Readers of the IMAP server responses that ImapMailbox needs (RFC 3501 /
// RFC 9051): SEARCH results, the attributes of a FETCH, CAPABILITY, and the
// EXISTS count and UIDVALIDITY of a SELECT. The server is not trusted (the
// caller bounds how much of its text it keeps): numbers are range-checked
// (UIDs and counts are 32-bit, sizes below 2^63), nesting is bounded, and
// anything that the grammar does not allow is an error (kUnavailable, "the
// IMAP server's ... response is malformed") rather than a guess. Untagged
// responses the server may add unasked (EXISTS, EXPUNGE, FETCH of other
// messages) are skipped. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

// The lines of `text`, split at LF, each without its CR LF (the last one may
// be unterminated).
std::vector<std::string_view> imap_lines(std::string_view text);

// Every UID of the "* SEARCH" lines in `untagged` (in the server's order).
// Fails when there is no SEARCH line (a server answers one even when nothing
// matches) or a number is malformed, zero or above 4294967295.
Result<std::vector<std::uint32_t>> parse_imap_search(std::string_view untagged);

struct ImapFetchAttributes {
  std::uint32_t uid = 0;
  std::optional<std::uint64_t> size;              // RFC822.SIZE
  std::optional<std::vector<std::string>> flags;  // FLAGS, as sent
};

// The attributes of the "* n FETCH (...)" line whose UID is `uid`, nullopt
// when there is none (the message does not exist). FETCH lines of other
// messages are read (and must be well-formed) but skipped. Only atoms,
// numbers, quoted strings and nested lists are accepted as values: the
// commands this answers never ask for a literal.
Result<std::optional<ImapFetchAttributes>> parse_imap_fetch(std::string_view untagged,
                                                            std::uint32_t uid);

// The capability names (upper case) of the "* CAPABILITY" lines.
std::vector<std::string> parse_imap_capabilities(std::string_view untagged);

// "* 12 EXISTS" → 12; nullopt for any other line.
std::optional<std::uint32_t> parse_imap_exists(std::string_view line);

// "* OK [UIDVALIDITY 3857529045] ..." → 3857529045; nullopt for any other
// line (or a value that is not a non-zero 32-bit number).
std::optional<std::uint32_t> parse_imap_uid_validity(std::string_view line);

}  // namespace phishdrill
