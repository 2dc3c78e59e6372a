// Shared rules for short texts typed by operators (names, subjects, headers).
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

// Number of Unicode code points in valid UTF-8 text.
std::size_t utf8_length(std::string_view text);

// Trims ASCII whitespace at both ends.
std::string trim(std::string_view text);

// A required (or optional) single-line text: valid UTF-8, no control
// characters, at most `max_chars` code points. Errors name `field`.
Result<void> check_line(std::string_view value, std::string_view field, std::size_t max_chars,
                        bool required);

struct HeaderField {
  std::string name;
  std::string value;
};

// Custom mail headers: names are RFC 5322 field names (printable ASCII
// without ':' or space, at most 76 chars), values single-line UTF-8 (at most
// 998 octets). At most 50 headers. From, To, Cc, Bcc, Subject, Date,
// Message-ID, MIME-Version, Sender, Return-Path and Content-* are refused: the
// composer owns them, and nobody may be copied behind a target's back. Fields are "<field>[i].name"
// / ".value".
Result<void> check_headers(const std::vector<HeaderField>& headers, std::string_view field);

}  // namespace phishdrill
