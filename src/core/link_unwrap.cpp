#include "core/link_unwrap.h"

#include <array>
#include <cstddef>
#include <utility>

#include "core/ascii.h"
#include "core/base64.h"
#include "core/code_points.h"
#include "core/percent_encoding.h"
#include "core/text_rules.h"
#include "core/url_parts.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

// A gateway that wraps a wrapper is normal (Safe Links around Proofpoint);
// more layers than this is a loop or a hostile message.
constexpr int kMaxDepth = 5;
// A longer "URL" is not a link anyone clicks; it is returned as it is.
constexpr std::size_t kMaxUrlBytes = 64 * 1024;

// How a wrapper holds its target.
enum class Encoding {
  kQueryValue,    // a percent-encoded query parameter
  kProofpointV2,  // query "u": "-" for "%", "_" for "/", then percent-encoded
  kProofpointV3,  // in the path, with "*" placeholders (see decode_proofpoint_v3)
  kBase64Query,   // a query parameter holding the URL in base64 (Sophos)
  kPathTail,      // percent-encoded after the first path segment (Cisco)
};

struct Wrapper {
  std::string_view host;                       // exact, or "*.suffix" for any subdomain of suffix
  std::string_view path;                       // the path starts with this ("" for any)
  std::array<std::string_view, 2> parameters;  // where the target is (kQueryValue, kBase64Query)
  Encoding encoding = Encoding::kQueryValue;
};

// The wrappers whose target is recoverable from the URL alone. Mimecast's
// protect-*.mimecast.com/s/<token> links are opaque and are not here.
constexpr auto kWrappers = std::to_array<Wrapper>({
    {"*.safelinks.protection.outlook.com", "", {"url", ""}, Encoding::kQueryValue},
    {"*.safelinks.protection.office365.us", "", {"url", ""}, Encoding::kQueryValue},
    {"statics.teams.cdn.office.net",
     "/evergreen-assets/safelinks/",
     {"url", ""},
     Encoding::kQueryValue},
    {"urldefense.proofpoint.com", "/v1/url", {"u", ""}, Encoding::kQueryValue},
    {"urldefense.com", "/v1/url", {"u", ""}, Encoding::kQueryValue},
    {"urldefense.proofpoint.com", "/v2/url", {"u", ""}, Encoding::kProofpointV2},
    {"urldefense.com", "/v2/url", {"u", ""}, Encoding::kProofpointV2},
    {"urldefense.com", "/v3/__", {"", ""}, Encoding::kProofpointV3},
    {"urldefense.proofpoint.com", "/v3/__", {"", ""}, Encoding::kProofpointV3},
    {"linkprotect.cudasvc.com", "/url", {"a", ""}, Encoding::kQueryValue},
    {"*.trendmicro.com", "/wis/clicktime/", {"url", ""}, Encoding::kQueryValue},
    {"*.trendmicro.eu", "/wis/clicktime/", {"url", ""}, Encoding::kQueryValue},
    {"*.protection.sophos.com", "", {"u", ""}, Encoding::kBase64Query},
    {"secure-web.cisco.com", "/", {"", ""}, Encoding::kPathTail},
    {"protect2.fireeye.com", "/v1/url", {"u", ""}, Encoding::kQueryValue},
    {"clicktime.symantec.com", "", {"u", ""}, Encoding::kQueryValue},
    {"l.facebook.com", "/l.php", {"u", ""}, Encoding::kQueryValue},
    {"lm.facebook.com", "/l.php", {"u", ""}, Encoding::kQueryValue},
    {"slack-redir.net", "/link", {"url", ""}, Encoding::kQueryValue},
    {"www.linkedin.com", "/safety/go", {"url", ""}, Encoding::kQueryValue},
    {"www.youtube.com", "/redirect", {"q", ""}, Encoding::kQueryValue},
});

// Google's redirect under any of its country domains: google.com,
// www.google.co.uk, google.de, ... with path /url and the target in q= or url=.
constexpr Wrapper kGoogleRedirect = {"", "/url", {"q", "url"}, Encoding::kQueryValue};

bool host_matches(std::string_view host, std::string_view pattern) {
  if (!pattern.starts_with("*.")) return host == pattern;
  const std::string_view suffix = pattern.substr(1);  // ".safelinks..."
  return host.size() > suffix.size() && host.ends_with(suffix);
}

bool is_google_host(std::string_view host) {
  if (host.starts_with("www.")) host.remove_prefix(4);
  if (!host.starts_with("google.")) return false;
  const std::string_view tld = host.substr(7);  // "com", "co.uk", "com.au", "de"
  const std::size_t dot = tld.find('.');
  const std::string_view last = dot == std::string_view::npos ? tld : tld.substr(dot + 1);
  return !tld.empty() && tld.size() <= 6 && last.find('.') == std::string_view::npos &&
         last.size() >= 2 && last.size() <= 3;
}

const Wrapper* wrapper_for(const UrlParts& parts) {
  if (parts.scheme != "http" && parts.scheme != "https") return nullptr;
  for (const Wrapper& wrapper : kWrappers) {
    if (host_matches(parts.host, wrapper.host) && parts.path.starts_with(wrapper.path)) {
      return &wrapper;
    }
  }
  if (is_google_host(parts.host) && parts.path == kGoogleRedirect.path) return &kGoogleRedirect;
  return nullptr;
}

// The raw (still encoded) value of `name` in `query`.
std::optional<std::string_view> raw_query_value(std::string_view query, std::string_view name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    if (percent_decode(key, true) == name) {
      return equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string_view> first_raw_value(const UrlParts& parts, const Wrapper& wrapper) {
  for (const std::string_view name : wrapper.parameters) {
    if (name.empty()) continue;
    if (auto value = raw_query_value(parts.query, name); value && !value->empty()) return value;
  }
  return std::nullopt;
}

std::string decode_proofpoint_v2(std::string_view value) {
  std::string translated(percent_decode(value, true));
  for (char& c : translated) {
    if (c == '-') c = '%';
    if (c == '_') c = '/';
  }
  return percent_decode_text(translated);
}

std::optional<std::string> decode_sophos(std::string_view value) {
  const auto bytes = base64_decode(percent_decode(value, true));
  if (!bytes) return std::nullopt;
  return escape_unsafe_url_bytes(*bytes);
}

std::optional<std::string> decode_path_tail(std::string_view path) {
  const std::size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos || slash + 1 >= path.size()) return std::nullopt;
  return percent_decode_text(path.substr(slash + 1));
}

// Proofpoint URL Defense v3 links look like
//   https://urldefense.com/v3/__<target>__;<replacements>!!<customer>!<signature>$
// <target> is the original URL with every character Proofpoint would not
// leave in it replaced by a placeholder; <replacements> (URL-safe base64, "="
// padding dropped) holds those characters in order, as UTF-8. A single "*"
// stands for the next character. "**" and a letter stand for a run of
// characters whose length the letter gives in the URL-safe base64 alphabet,
// offset by two: A=2, B=3, ... Z=27, a=28, ... z=53, 0=54, ... 9=63, "-"=64,
// "_"=65. The text before "__;" is percent-decoded first (a mail client may
// have encoded the link again), as Proofpoint's published decoder does, and a
// target left with one slash ("https:/host") gets its second one back. A
// placeholder with no character left for it is kept as written.
std::size_t run_length(char letter) {
  static constexpr std::string_view kRunLetters =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t index = kRunLetters.find(letter);
  return index == std::string_view::npos ? 0 : index + 2;
}

std::string fill_placeholders(std::string_view text,
                              const std::vector<std::string_view>& characters) {
  std::string out;
  out.reserve(text.size() + characters.size() * 2);
  std::size_t next = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '*') {
      out += text[i];
      continue;
    }
    const std::size_t run = i + 2 < text.size() && text[i + 1] == '*' ? run_length(text[i + 2]) : 0;
    const std::size_t wanted = run > 0 ? run : 1;
    const std::size_t token_length = run > 0 ? 3 : 1;
    if (characters.size() - next < wanted) {
      out += text.substr(i, token_length);
    } else {
      for (std::size_t k = 0; k < wanted; ++k) out += characters[next++];
    }
    i += token_length - 1;
  }
  return out;
}

// "https:/host" -> "https://host".
void restore_double_slash(std::string& target) {
  const std::size_t colon = target.find(":/");
  if (colon == std::string::npos || colon == 0 || colon + 2 >= target.size()) return;
  if (target[colon + 2] == '/') return;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = ascii_lower(target[i]);
    const bool scheme_char =
        (c >= 'a' && c <= 'z') ||
        (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!scheme_char) return;
  }
  target.insert(colon + 2, "/");
}

std::optional<std::string> decode_proofpoint_v3(std::string_view url) {
  const std::size_t start = url.find("/v3/__");
  if (start == std::string_view::npos) return std::nullopt;
  const std::string_view rest = url.substr(start + 6);
  const std::size_t end = rest.find("__;");
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  std::string_view encoded = rest.substr(end + 3);
  encoded = encoded.substr(0, encoded.find('!'));
  const auto replacements = base64_decode(encoded);
  if (!replacements) return std::nullopt;
  std::string target =
      fill_placeholders(percent_decode(rest.substr(0, end)), utf8_characters(*replacements));
  restore_double_slash(target);
  return escape_unsafe_url_bytes(target);
}

std::optional<std::string> decode_target(std::string_view url, const UrlParts& parts,
                                         const Wrapper& wrapper) {
  switch (wrapper.encoding) {
    case Encoding::kProofpointV3:
      return decode_proofpoint_v3(url);
    case Encoding::kPathTail: {
      const std::string path =
          std::string(parts.path) + (parts.query.empty() ? "" : "?" + std::string(parts.query));
      return decode_path_tail(path);
    }
    default:
      break;
  }
  const auto value = first_raw_value(parts, wrapper);
  if (!value) return std::nullopt;
  if (wrapper.encoding == Encoding::kProofpointV2) return decode_proofpoint_v2(*value);
  if (wrapper.encoding == Encoding::kBase64Query) return decode_sophos(*value);
  return percent_decode_text(*value, true);
}

// A recovered target must be an absolute URL ("scheme:..."); anything else
// (a search term behind google.com/url?q=, garbage) leaves the link as it is.
bool is_absolute_url(std::string_view text) {
  const UrlParts parts = split_url(text);
  return !parts.scheme.empty() && (!parts.host.empty() || parts.scheme == "mailto");
}

// The target one wrapper down, or nullopt when `url` is not a known wrapper.
std::optional<std::string> unwrap_once(std::string_view url) {
  const UrlParts parts = split_url(url);
  const Wrapper* wrapper = wrapper_for(parts);
  if (!wrapper) return std::nullopt;
  auto target = decode_target(url, parts, *wrapper);
  if (!target) return std::nullopt;
  std::string trimmed = trim(*target);
  if (!is_absolute_url(trimmed)) return std::nullopt;
  return trimmed;
}

}  // namespace

std::string unwrap_link(std::string_view url) {
  std::string current = trim(url);
  if (current.size() > kMaxUrlBytes) return current;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    auto inner = unwrap_once(current);
    if (!inner || *inner == current) break;
    current = std::move(*inner);
  }
  return current;
}

std::optional<std::string> query_parameter(std::string_view url, std::string_view name) {
  if (url.size() > kMaxUrlBytes) return std::nullopt;
  const auto value = raw_query_value(split_url(url).query, name);
  if (!value) return std::nullopt;
  return percent_decode_text(*value, true);
}

}  // namespace phishdrill
