// IMAP names that Phishdrill sends to a mail server: folder names and message
// flags, checked and put in their wire form (RFC 3501 / RFC 9051), so that
// nothing an operator typed can end a command line or inject another one.
//   Folder names are UTF-8 text; non-ASCII characters go out in IMAP's
//   modified UTF-7 (RFC 3501 5.1.3), which every server understands, and "&"
//   as "&-". The result is ASCII, sent as a quoted string.
//   Flags are system flags (\Seen, \Answered, \Flagged, \Deleted, \Draft) or
//   keywords: atoms of printable ASCII without IMAP's special characters
//   (RFC 3501 "flag-keyword"), such as $PhishdrillDone.
// Errors are kValidation naming the field ("folder", "flags", "keyword").
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

inline constexpr std::size_t kMaxImapFolderChars = 200;  // code points of the UTF-8 name
inline constexpr std::size_t kMaxImapKeywordLength = 64;
inline constexpr std::size_t kMaxImapFlags = 16;

// The modified UTF-7 form of a folder name (not yet quoted). Refused: empty,
// invalid UTF-8, control characters (C0, DEL, C1), more than
// kMaxImapFolderChars characters.
Result<std::string> encode_imap_folder(std::string_view utf8_name);

// `ascii` as an IMAP quoted string: in double quotes, with `"` and `\`
// escaped. The caller guarantees no CR, LF or NUL (encode_imap_folder and
// the checks here do).
std::string imap_quoted(std::string_view ascii);

// A keyword (one flag-keyword atom, at most kMaxImapKeywordLength bytes).
Result<void> check_imap_keyword(std::string_view keyword, std::string_view field = "keyword");

// A space-separated list of 1 to kMaxImapFlags flags (system flags, any case,
// or keywords) as an IMAP flag list: "(\Seen $PhishdrillDone)". \Recent and
// \* cannot be set by a client and are refused.
Result<std::string> imap_flag_list(std::string_view flags);

// UIDs as an IMAP sequence set, sorted, each run of consecutive UIDs as a
// range: {7, 3, 4, 5, 9} -> "3:5,7,9". kValidation (field "uid") for an
// empty set or a UID 0.
Result<std::string> imap_uid_set(std::span<const std::uint32_t> uids);

}  // namespace phishdrill
