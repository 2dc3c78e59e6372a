#include "mail/template_braces.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace phishdrill {
namespace {

constexpr std::array<std::string_view, 10> kVariableNames = {
    "FirstName", "LastName",    "Email",   "Position", "From",
    "URL",       "TrackingURL", "Tracker", "RId",      "BaseURL",
};

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Length of the valid expression starting at text[pos] ("{{" already seen),
// or 0 when there is none.
std::size_t valid_expression_length(std::string_view text, std::size_t pos) {
  std::size_t i = pos + 2;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i >= text.size() || text[i] != '.') return 0;
  ++i;
  const std::size_t name_begin = i;
  while (i < text.size() && is_ascii_letter(text[i])) ++i;
  const std::string_view name = text.substr(name_begin, i - name_begin);
  if (std::find(kVariableNames.begin(), kVariableNames.end(), name) == kVariableNames.end()) {
    return 0;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (i + 1 >= text.size() || text[i] != '}' || text[i + 1] != '}') return 0;
  return i + 2 - pos;
}

}  // namespace

std::string neutralise_template_braces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '{' || i + 1 >= text.size() || text[i + 1] != '{') {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    if (const std::size_t length = valid_expression_length(text, i); length != 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    // Advance by one brace only: in "{{{.URL}}" the second brace may open a
    // valid expression, and "{{{{" must not leave a "{{" behind.
    out.append("{ ");
    ++i;
  }
  return out;
}

}  // namespace phishdrill
