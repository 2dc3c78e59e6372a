#include "core/html_escape.h"

#include <cstddef>

namespace phishdrill {

namespace {

// Returns the entity for a character that must be escaped, or nullptr.
// &#39; rather than &apos; because &apos; is not an HTML 4 entity and some
// mail clients still parse HTML 4.
constexpr const char* entity_for(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return nullptr;
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  // Copy runs of safe characters in one append: rendering millions of messages
  // mostly escapes names with nothing to escape.
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = entity_for(text[i]);
    if (entity == nullptr) continue;
    out.append(text.data() + run_start, i - run_start);
    out.append(entity);
    run_start = i + 1;
  }
  out.append(text.data() + run_start, text.size() - run_start);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_html_escaped(out, text);
  return out;
}

}  // namespace phishdrill
