// Removes active content from imported HTML (an .eml file from anywhere):
// <script>, <iframe>, <frame>, <frameset>, <object>, <embed>, <applet>,
// <base>, <meta http-equiv="refresh">, a <meta> declaring UTF-7; every on*
// event-handler attribute; javascript:, vbscript: and data: URLs (a
// data:image/* src other than SVG stays) in href, src, action, formaction,
// xlink:href and the other URL attributes; style attributes with
// expression() or javascript:.
//
// The document is parsed with gumbo, the same way a browser would; when
// nothing is active it is returned byte for byte, otherwise it is written
// back from the parse tree without the removed parts (so no markup the
// browser would read differently survives). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

struct SanitizedHtml {
  std::string html;
  // What was removed, one line per kind with a count, e.g.
  // "<script> element (2)", "onerror attribute", "javascript: URL in href".
  std::vector<std::string> removed;
};

SanitizedHtml strip_active_content(std::string_view html);

}  // namespace phishdrill
