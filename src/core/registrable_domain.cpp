#include "core/registrable_domain.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "core/ascii.h"
#include "core/network_address.h"

namespace phishdrill {
namespace {

// Generic second levels under a country code ("co.uk", "com.au", "ne.jp").
constexpr auto kGenericSecondLevels = std::to_array<std::string_view>(
    {"ac", "co", "com", "edu", "go", "gob", "gov", "ltd", "ne", "net", "or", "org", "plc", "sch"});

// Suffixes under which each customer's subdomain is their own site.
constexpr auto kHostingSuffixes = std::to_array<std::string_view>({"appspot.com",
                                                                   "azurewebsites.net",
                                                                   "blob.core.windows.net",
                                                                   "blogspot.com",
                                                                   "cloudfront.net",
                                                                   "firebaseapp.com",
                                                                   "github.io",
                                                                   "gitlab.io",
                                                                   "herokuapp.com",
                                                                   "netlify.app",
                                                                   "ngrok.io",
                                                                   "ngrok-free.app",
                                                                   "pages.dev",
                                                                   "r2.dev",
                                                                   "s3.amazonaws.com",
                                                                   "sharepoint.com",
                                                                   "vercel.app",
                                                                   "web.app",
                                                                   "weebly.com",
                                                                   "wixsite.com",
                                                                   "workers.dev",
                                                                   "translate.goog"});

std::string normalized(std::string_view host) {
  std::string out = ascii_lowercase(host);
  while (out.ends_with('.')) out.pop_back();
  return out;
}

bool is_ip_literal(std::string_view host) {
  return parse_ip(host).has_value() || parse_ipv4_any_notation(host).has_value();
}

// Number of labels in the public suffix of `host` (>= 1 when it has a dot).
std::size_t suffix_labels(std::string_view host) {
  for (const std::string_view suffix : kHostingSuffixes) {
    if (host.size() > suffix.size() + 1 && host.ends_with(suffix) &&
        host[host.size() - suffix.size() - 1] == '.') {
      return static_cast<std::size_t>(std::ranges::count(suffix, '.')) + 1;
    }
  }
  const std::size_t last_dot = host.rfind('.');
  const std::string_view tld = host.substr(last_dot + 1);
  if (tld.size() != 2 || last_dot == 0) return 1;
  const std::size_t second_dot = host.rfind('.', last_dot - 1);
  const std::size_t start = second_dot == std::string_view::npos ? 0 : second_dot + 1;
  const std::string_view second = host.substr(start, last_dot - start);
  return std::ranges::find(kGenericSecondLevels, second) != kGenericSecondLevels.end() ? 2 : 1;
}

// Offset where the last `count` labels of `host` start (0 when it has fewer).
std::size_t last_labels_start(std::string_view host, std::size_t count) {
  std::size_t end = host.size();
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t dot = end == 0 ? std::string_view::npos : host.rfind('.', end - 1);
    if (dot == std::string_view::npos) return 0;
    end = dot;
  }
  return end + 1;
}

}  // namespace

std::string registrable_domain(std::string_view host) {
  const std::string name = normalized(host);
  if (name.find('.') == std::string::npos || is_ip_literal(name)) return name;
  return name.substr(last_labels_start(name, suffix_labels(name) + 1));
}

std::string public_suffix(std::string_view host) {
  const std::string name = normalized(host);
  if (name.find('.') == std::string::npos || is_ip_literal(name)) return {};
  const std::size_t labels = suffix_labels(name);
  const std::size_t start = last_labels_start(name, labels);
  return start == 0 ? std::string() : name.substr(start);
}

bool is_same_or_subdomain(std::string_view host, std::string_view domain) {
  const std::string h = normalized(host);
  const std::string d = normalized(domain);
  if (d.empty()) return false;
  return h == d || (h.size() > d.size() && h.ends_with(d) && h[h.size() - d.size() - 1] == '.');
}

}  // namespace phishdrill
