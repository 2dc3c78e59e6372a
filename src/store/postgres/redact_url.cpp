#include "store/postgres/redact_url.h"

#include <cstdlib>
#include <optional>

namespace phishdrill::pg {
namespace {

constexpr std::string_view kMask = "***";

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where the userinfo's password sits in "scheme://user:password@host…".
std::optional<Span> userinfo_password(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const auto authority = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority);
  const auto at =
      url.rfind('@', authority_end == std::string_view::npos ? url.size() : authority_end);
  if (at == std::string_view::npos || at < authority) return std::nullopt;
  const auto colon = url.find(':', authority);
  if (colon == std::string_view::npos || colon > at) return std::nullopt;
  return Span{colon + 1, at};
}

// Where the value of a "password=" query parameter sits.
std::optional<Span> query_password(std::string_view url) {
  const auto query = url.find('?');
  if (query == std::string_view::npos) return std::nullopt;
  std::size_t start = query + 1;
  while (start < url.size()) {
    auto end = url.find('&', start);
    if (end == std::string_view::npos) end = url.size();
    const auto pair = url.substr(start, end - start);
    if (pair.starts_with("password=")) return Span{start + 9, end};
    start = end + 1;
  }
  return std::nullopt;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out.push_back(static_cast<char>(value));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

void mask_all(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kMask.size())) {
    text.replace(at, secret.size(), kMask);
  }
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out(url);
  // The query comes after the userinfo, so replace it first to keep offsets valid.
  if (const auto span = query_password(out))
    out.replace(span->begin, span->end - span->begin, kMask);
  if (const auto span = userinfo_password(out)) {
    out.replace(span->begin, span->end - span->begin, kMask);
  }
  return out;
}

std::string redact_password_in(std::string_view text, std::string_view url) {
  std::string out(text);
  for (const auto span : {userinfo_password(url), query_password(url)}) {
    if (!span || span->end == span->begin) continue;
    const std::string password(url.substr(span->begin, span->end - span->begin));
    mask_all(out, password);
    mask_all(out, percent_decoded(password));
  }
  return out;
}

}  // namespace phishdrill::pg
