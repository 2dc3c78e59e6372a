#include "mail/text_links.h"

#include <string>

#include "core/ascii.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Characters that end a URL written in text.
bool ends_url(char c) {
  return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' ||
         c == '`';
}

// Length of the URL prefix at `at` ("https://", "http://", "www."), or 0.
std::size_t url_prefix(std::string_view text, std::size_t at, bool allow_mailto) {
  const std::string_view rest = text.substr(at);
  for (const std::string_view prefix : {"https://", "http://", "www."}) {
    if (ascii_istarts_with(rest, prefix)) {
      // Something must follow the prefix: "http://" alone is no link.
      return rest.size() > prefix.size() && !ends_url(rest[prefix.size()]) ? prefix.size() : 0;
    }
  }
  if (allow_mailto && ascii_istarts_with(rest, "mailto:") && rest.size() > 7 &&
      !ends_url(rest[7])) {
    return 7;
  }
  return 0;
}

// The end of a bare URL starting at `start`: up to a character that ends
// it, less trailing punctuation and closing brackets that were not opened
// inside it.
std::size_t bare_url_end(std::string_view text, std::size_t start) {
  std::size_t end = start;
  while (end < text.size() && !ends_url(text[end])) ++end;
  while (end > start) {
    const char last = text[end - 1];
    const std::string_view url = text.substr(start, end - start);
    if (std::string_view(".,;:!?'*_").find(last) != std::string_view::npos) {
      --end;
    } else if (last == ')' && url.find('(') == std::string_view::npos) {
      --end;
    } else if (last == ']' && url.find('[') == std::string_view::npos) {
      --end;
    } else {
      break;
    }
  }
  return end;
}

std::string cut(std::string_view text, std::size_t max_bytes) {
  return std::string(utf8_prefix(text, max_bytes));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// The shown text of "shown <url>" from the `segment` before the "<".
std::string shown_text(std::string_view segment) {
  segment = trim(segment);
  // The words after the last sentence end.
  for (std::size_t i = segment.size(); i > 1; --i) {
    if (std::string_view(".!?:").find(segment[i - 2]) != std::string_view::npos &&
        is_space(segment[i - 1])) {
      segment = trim(segment.substr(i));
      break;
    }
  }
  // The last word alone when it is a URL; else the last few words.
  const std::size_t last_space = segment.find_last_of(" \t");
  const std::size_t last_word = last_space == std::string_view::npos ? 0 : last_space + 1;
  if (url_prefix(segment, last_word, false) != 0) {
    return cut(segment.substr(last_word), kMaxLinkTextBytes);
  }
  std::size_t start = segment.size();
  for (std::size_t words = 0; words < kMaxShownWords && start > 0;) {
    std::size_t at = start;
    while (at > 0 && is_space(segment[at - 1])) --at;
    while (at > 0 && !is_space(segment[at - 1])) --at;
    if (at == start) break;
    start = at;
    ++words;
  }
  const std::string_view shown = trim(segment.substr(start));
  // Cut from the front: the words next to the link matter most.
  if (shown.size() <= kMaxLinkTextBytes) return std::string(shown);
  std::size_t from = shown.size() - kMaxLinkTextBytes;
  while (from < shown.size() && (static_cast<unsigned char>(shown[from]) & 0xC0) == 0x80) ++from;
  return std::string(shown.substr(from));
}

}  // namespace

TextLinks find_text_links(std::string_view text, std::size_t max_links) {
  TextLinks found;
  std::size_t line_start = 0;
  std::size_t segment_start = 0;  // after the previous link on this line
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '\n') {
      line_start = segment_start = ++at;
      continue;
    }
    // Not inside a word, an address ("x@www.example") or a path.
    const bool word_start =
        at == 0 || (!is_alnum(text[at - 1]) &&
                    std::string_view("@.-_/").find(text[at - 1]) == std::string_view::npos);
    const bool angled = at > line_start && text[at - 1] == '<';
    const std::size_t prefix = word_start ? url_prefix(text, at, angled) : 0;
    if (prefix == 0) {
      ++at;
      continue;
    }
    std::size_t end = 0;
    if (angled) {
      end = at;
      while (end < text.size() && text[end] != '>' && !is_space(text[end])) ++end;
      if (end == text.size() || text[end] != '>') end = 0;  // not closed: read it as bare
    }
    ReportedLink link;
    std::size_t next = 0;
    if (end != 0) {
      link.href = cut(text.substr(at, end - at), kMaxLinkHrefBytes);
      link.text = shown_text(text.substr(segment_start, at - 1 - segment_start));
      next = end + 1;
    } else {
      end = bare_url_end(text, at);
      next = end;
      // A URL written just before "<url>" is that link's shown text, not a link.
      std::size_t after = end;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      if (after + 1 < text.size() && text[after] == '<' && url_prefix(text, after + 1, true) != 0) {
        at = next;
        continue;
      }
      link.href = cut(text.substr(at, end - at), kMaxLinkHrefBytes);
    }
    if (found.links.size() == max_links) {
      found.truncated = true;
      break;
    }
    found.links.push_back(std::move(link));
    at = segment_start = next;
  }
  return found;
}

}  // namespace phishdrill
