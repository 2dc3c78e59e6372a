// Media types and multipart/form-data bodies (RFC 2045 §5.1, RFC 7578): what
// a browser's file upload sends. Parsing is strict about structure (boundary,
// CRLF delimiters, part headers, the closing delimiter) and bounded by the
// body it is given. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace phishdrill::net {

struct MediaType {
  std::string type;  // "text/csv": lower case type/subtype
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower case, values unquoted

  std::optional<std::string_view> parameter(std::string_view name) const;
};

// Parses a Content-Type (or Content-Disposition, whose first token has no
// '/') value. nullopt when it is empty or malformed.
std::optional<MediaType> parse_media_type(std::string_view value);

struct FormPart {
  std::string name;                     // Content-Disposition name=
  std::optional<std::string> filename;  // Content-Disposition filename=, when a file
  std::string content_type;             // the part's Content-Type ("" when absent)
  std::string body;
};

// The parts of a multipart/form-data body whose Content-Type is `type`.
// Fails with kBadRequest naming what is wrong: no boundary, a missing
// delimiter or closing delimiter, a part without Content-Disposition:
// form-data and a name.
Result<std::vector<FormPart>> parse_multipart_form(const MediaType& type, std::string_view body);

}  // namespace phishdrill::net
