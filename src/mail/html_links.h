// Rewrites the target of every hyperlink in an HTML document.
//
// Finds <a href> elements with gumbo (so links inside comments, scripts or
// attribute values are not mistaken for tags) and replaces only the href
// attribute values, splicing the original text: every other byte of the
// document is preserved, including whitespace, entities and broken markup.
// mailto:, tel: and same-document "#..." links are kept, as are valueless
// `<a href>` attributes. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

// Returns `html` with each rewritable href written as href="`new_href`".
// `new_href` is inserted verbatim between double quotes, so it must not
// contain '"' or '&' (template variables such as "{{.URL}}" are fine).
// `html` should be UTF-8; gumbo replaces invalid sequences while parsing but
// the splice still works on the original bytes.
std::string rewrite_link_hrefs(std::string_view html, std::string_view new_href);

}  // namespace phishdrill

namespace phishdrill {

// `html` made safe to look at without telling its sender: every <a>/<area>
// href points at "#", and every attribute that fetches by itself (src,
// srcset, background, poster, data, <link href>) is emptied unless it holds a
// data:image. The rest is preserved byte for byte. nullopt when the document
// cannot be parsed whole (then show it as text instead).
std::optional<std::string> neutralise_remote_content(std::string_view html);

}  // namespace phishdrill
