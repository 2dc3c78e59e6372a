#include "core/ascii.h"

#include <algorithm>

namespace phishdrill {
namespace {

bool same_ignoring_case(char a, char b) { return ascii_lower(a) == ascii_lower(b); }

}  // namespace

std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, same_ignoring_case);
}

bool ascii_istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii_iequals(text.substr(0, prefix.size()), prefix);
}

std::size_t ascii_ifind(std::string_view text, std::string_view needle) {
  const auto found =
      std::search(text.begin(), text.end(), needle.begin(), needle.end(), same_ignoring_case);
  return found == text.end() && !needle.empty() ? std::string_view::npos
                                                : static_cast<std::size_t>(found - text.begin());
}

std::size_t ascii_irfind(std::string_view text, std::string_view needle) {
  const auto found =
      std::find_end(text.begin(), text.end(), needle.begin(), needle.end(), same_ignoring_case);
  if (found == text.end() && !needle.empty()) return std::string_view::npos;
  return static_cast<std::size_t>(found - text.begin());
}

}  // namespace phishdrill
