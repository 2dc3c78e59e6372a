#include "core/url_parts.h"

#include <cstddef>

#include "core/ascii.h"
#include "core/percent_encoding.h"

namespace phishdrill {
namespace {

bool is_scheme_char(char c, bool first) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return letter;
  return letter || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Length of "scheme:" at the start of `url` (0 when there is none).
std::size_t scheme_length(std::string_view url) {
  for (std::size_t i = 0; i < url.size(); ++i) {
    if (url[i] == ':') return i == 0 ? 0 : i + 1;
    if (!is_scheme_char(url[i], i == 0)) return 0;
  }
  return 0;
}

bool is_slash(char c) { return c == '/' || c == '\\'; }

// The host of an authority ("user:pw@host:443", "[::1]:8080").
std::string authority_host(std::string_view authority) {
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host = authority;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    host = host.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  std::string decoded = ascii_lowercase(percent_decode_text(host));
  while (decoded.ends_with('.')) decoded.pop_back();
  return decoded;
}

}  // namespace

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const std::size_t scheme_end = scheme_length(url);
  if (scheme_end > 0) parts.scheme = ascii_lowercase(url.substr(0, scheme_end - 1));
  std::string_view rest = url.substr(scheme_end);
  const std::size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) {
    parts.fragment = rest.substr(fragment + 1);
    rest = rest.substr(0, fragment);
  }
  const std::size_t query = rest.find('?');
  if (query != std::string_view::npos) {
    parts.query = rest.substr(query + 1);
    rest = rest.substr(0, query);
  }
  if (rest.size() >= 2 && is_slash(rest[0]) && is_slash(rest[1])) {
    rest.remove_prefix(2);
    std::size_t end = 0;
    while (end < rest.size() && !is_slash(rest[end])) ++end;
    parts.host = authority_host(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  parts.path = rest;
  return parts;
}

std::string link_host(std::string_view url) { return split_url(url).host; }

}  // namespace phishdrill
