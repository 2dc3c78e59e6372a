// Percent-decoding of URL text (RFC 3986 section 2.1) for links read out of
// reported mail: hostile input is expected, so a malformed escape ("%zz", a
// lone "%" at the end) is kept as written rather than refused, and the text
// form never yields bytes that could break a log line, JSON or HTML.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

// Each "%XX" (X a hex digit, either case) becomes its byte; `plus_as_space`
// also turns '+' into ' ' (application/x-www-form-urlencoded, for query
// values). Any other byte, a malformed escape included, is copied. The result
// may be any bytes (e.g. "%FF" or "%00").
std::string percent_decode(std::string_view text, bool plus_as_space = false);

// `text` with every byte that is not part of well-formed UTF-8, and every C0
// control and DEL, written as "%XX" (upper-case hex): text that is safe to
// show and store (valid UTF-8, one line), with its non-ASCII letters kept
// readable.
std::string escape_unsafe_url_bytes(std::string_view text);

// percent_decode, then escape_unsafe_url_bytes: the readable form of an
// encoded URL (or query value) whatever bytes its escapes stood for.
std::string percent_decode_text(std::string_view text, bool plus_as_space = false);

}  // namespace phishdrill
