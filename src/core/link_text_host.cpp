#include "core/link_text_host.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "core/ascii.h"
#include "core/url_parts.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxTextBytes = 4 * 1024;

// Generic endings common enough in link text to read "name.ending" as a
// domain without "www." or a scheme (country codes are all two letters).
constexpr auto kGenericEndings = std::to_array<std::string_view>(
    {"app",    "biz", "cloud", "com",  "dev",   "edu",  "email", "gov",
     "info",   "io",  "link",  "live", "me",    "mil",  "net",   "news",
     "online", "org", "shop",  "site", "store", "tech", "top",   "xyz"});

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view strip_punctuation(std::string_view word) {
  constexpr std::string_view kPunctuation = "<>()[]{}\"'.,;:!?*";
  while (!word.empty() && kPunctuation.find(word.front()) != std::string_view::npos) {
    word.remove_prefix(1);
  }
  while (!word.empty() && kPunctuation.find(word.back()) != std::string_view::npos) {
    word.remove_suffix(1);
  }
  return word;
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_letters(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= 'a' && c <= 'z'; });
}

// "x.example.com" when `word` ("x.example.com/login", lower case) starts
// with a domain name; "" otherwise.
std::string bare_domain(std::string_view word) {
  const std::string_view host = word.substr(0, word.find_first_of("/?#:"));
  const std::size_t last_dot = host.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return {};
  if (!std::ranges::all_of(host, [](char c) { return c == '.' || is_label_char(c); })) return {};
  if (host.find("..") != std::string_view::npos) return {};
  const std::string_view ending = host.substr(last_dot + 1);
  const bool known =
      ending.size() == 2 || std::ranges::find(kGenericEndings, ending) != kGenericEndings.end();
  if (!is_letters(ending) || !(known || host.starts_with("www."))) return {};
  return std::string(host);
}

std::string host_of_word(std::string_view word) {
  const std::string lower = ascii_lowercase(strip_punctuation(word));
  if (lower.find("://") != std::string::npos) return link_host(lower);
  if (lower.find('@') != std::string::npos) return {};
  return bare_domain(lower);
}

}  // namespace

std::string host_named_by_text(std::string_view text) {
  text = text.substr(0, std::min(text.size(), kMaxTextBytes));
  std::size_t start = 0;
  while (start < text.size()) {
    while (start < text.size() && is_space(text[start])) ++start;
    std::size_t end = start;
    while (end < text.size() && !is_space(text[end])) ++end;
    if (end > start) {
      std::string host = host_of_word(text.substr(start, end - start));
      if (!host.empty()) return host;
    }
    start = end;
  }
  return {};
}

}  // namespace phishdrill
