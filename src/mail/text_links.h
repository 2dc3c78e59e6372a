// The links in a plain-text body: bare URLs ("https://…", "http://…",
// "www.…") and the form mail clients write when they turn an HTML link into
// text, "shown text <https://target>" (Outlook; also "<mailto:…>"). For that
// form the shown text is a guess, since the text does not mark where it
// starts: the URL written just before the "<" when there is one (the
// sender showed one URL and linked another), else the last words before it on
// the same line, at most kMaxShownWords and not across a sentence's end.
// Trailing punctuation (".", ",", ")" without its "(") is not part of a URL.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/reported_message.h"

namespace phishdrill {

// Limits shared by every reader of links: a longer href or shown text is cut
// (on a character boundary), so a link's host is kept even when its query
// is absurd.
constexpr std::size_t kMaxLinkHrefBytes = 8192;
constexpr std::size_t kMaxLinkTextBytes = 512;
constexpr std::size_t kMaxShownWords = 8;

struct TextLinks {
  std::vector<ReportedLink> links;  // in the order they appear
  bool truncated = false;           // more than the limit were found; the first ones are kept
};

// At most `max_links` links of `text` (UTF-8).
TextLinks find_text_links(std::string_view text, std::size_t max_links);

}  // namespace phishdrill
