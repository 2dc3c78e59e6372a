// What an HTML body shows a reader: its text (block elements on lines of
// their own, whitespace collapsed as a browser does, scripts, styles and the
// head left out) and its links (every <a href> with the text it shows, every
// <img src> as an image), each with the offset in that text where it
// appears, so that a caller can keep only the links below a point (the
// quoted part of a forward). Parsed with gumbo (core/html_tree.h).
//
// Gumbo, like the HTML standard it follows, can spend time and memory far
// beyond the input's size on hostile markup: work grows with the square of
// the nesting depth (40,000 nested <div>s take 3 s), and formatting elements
// left open are reopened in every later paragraph (75 KB of
// "<p><b id=N>x</p>" takes 3 GB). So before parsing, the formatting tags
// (b, i, u, s, em, strong, font, big, small, tt, code, strike, nobr), which
// show no text and hold no link, are renamed to inert ones; and a body over
// kMaxParsedHtmlBytes or with more than kMaxParsedHtmlTags tags is not
// parsed at all: its text is the source without tags, its links the URLs
// written in the source (without shown text, at offset 0). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/reported_message.h"
#include "mail/text_links.h"  // kMaxLinkHrefBytes, kMaxLinkTextBytes

namespace phishdrill {

constexpr std::size_t kMaxParsedHtmlBytes = 2 * 1024 * 1024;
constexpr std::size_t kMaxParsedHtmlTags = 10'000;

struct HtmlLink {
  ReportedLink link;
  std::size_t text_offset = 0;  // where it appears in HtmlReading::text
};

struct HtmlReading {
  std::string text;              // UTF-8 (invalid input sequences replaced)
  std::vector<HtmlLink> links;   // in document order
  bool links_truncated = false;  // more than the limit; the first ones are kept
  bool parsed = true;            // false: read from the source (too large or too many tags)
};

// At most `max_links` links; hrefs and shown texts are cut as text_links.h says.
HtmlReading read_html(std::string_view html, std::size_t max_links);

}  // namespace phishdrill
