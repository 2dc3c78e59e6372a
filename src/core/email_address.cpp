#include "core/email_address.h"

#include <cstddef>
#include <string>

#include "core/ascii.h"
#include "core/idna.h"
#include "core/utf8.h"

namespace phishdrill {

namespace {

constexpr std::size_t kMaxAddressLength = 254;  // RFC 5321 path limit minus the angle brackets
constexpr std::size_t kMaxLocalLength = 64;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxEchoedChars = 80;

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 5322 atext.
bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 5322 dot-atom, with the UTF-8 atext RFC 6532 adds (the caller checks
// that the text is valid UTF-8).
bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char previous = '\0';
  for (const char c : s) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!is_atext(c) && static_cast<unsigned char>(c) < 0x80) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
  }
  return true;
}

// The value quoted for an error message: at most kMaxEchoedChars characters,
// with anything that could confuse a log line or a JSON consumer replaced.
std::string quote_for_message(std::string_view value) {
  const bool valid = is_valid_utf8(value);
  std::string out = "\"";
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < value.size() && chars < kMaxEchoedChars) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
      ++i;
    } else if (!valid) {
      out += '?';
      ++i;
    } else {
      std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      out.append(value.substr(i, length));
      i += length;
    }
    ++chars;
  }
  if (i < value.size()) out += "\u2026";
  out += '"';
  return out;
}

}  // namespace

bool is_valid_email(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddressLength) return false;
  if (!is_valid_utf8(address)) return false;
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = address.substr(0, at);
  if (local.size() > kMaxLocalLength || !is_dot_atom(local)) return false;
  // An internationalised domain is checked in its A-label form, which is
  // what goes on the wire to a relay without SMTPUTF8.
  const auto ascii_domain = domain_to_ascii(address.substr(at + 1));
  if (!ascii_domain || at + 1 + ascii_domain->size() > kMaxAddressLength) return false;
  const std::string_view domain = *ascii_domain;
  // A second '@' lands in the domain and fails the LDH check below.
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot - start);
    if (!is_ldh_label(label)) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

std::string normalize_email(std::string_view address) {
  std::string out(trim(address));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::size_t at = out.rfind('@');
  if (at == std::string::npos || is_ascii(std::string_view(out).substr(at + 1))) return out;
  if (const auto domain = domain_to_unicode(std::string_view(out).substr(at + 1))) {
    out.replace(at + 1, std::string::npos, *domain);
  }
  return out;
}

Result<std::string> email_to_ascii(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) {
    return fail(ErrorCode::kValidation, "not an email address", "email");
  }
  const std::string_view local = address.substr(0, at);
  if (!is_ascii(local)) {
    return fail(ErrorCode::kValidation,
                "the part before the @ is not ASCII; only a relay that offers SMTPUTF8 can take it",
                "email");
  }
  const auto domain = domain_to_ascii(address.substr(at + 1));
  if (!domain) return fail(ErrorCode::kValidation, "the domain is not a valid IDN", "email");
  return std::string(local) + "@" + *domain;
}

Result<Mailbox> parse_mailbox(std::string_view text, std::string_view field) {
  const std::string field_name(field);
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    return fail(ErrorCode::kValidation, "must not contain line breaks", field_name);
  }
  const std::string_view t = trim(text);
  if (t.empty()) {
    return fail(ErrorCode::kValidation, "an email address is required", field_name);
  }

  Mailbox mailbox;
  std::string_view address = t;
  if (t.back() == '>') {
    std::size_t i = 0;
    if (t.front() == '"') {
      // Quoted display name: backslash escapes the next character (RFC 5322 quoted-pair).
      bool closed = false;
      i = 1;
      while (i < t.size()) {
        const char c = t[i];
        if (c == '\\' && i + 1 < t.size()) {
          mailbox.name += t[i + 1];
          i += 2;
          continue;
        }
        ++i;
        if (c == '"') {
          closed = true;
          break;
        }
        mailbox.name += c;
      }
      if (!closed) {
        return fail(ErrorCode::kValidation, "the display name has an unterminated quote",
                    field_name);
      }
      while (i < t.size() && is_ascii_space(t[i])) ++i;
      if (i >= t.size() || t[i] != '<') {
        return fail(ErrorCode::kValidation,
                    "expected <address> after the quoted display name, as in \"Name\" <a@b.com>",
                    field_name);
      }
      mailbox.name = std::string(trim(mailbox.name));
    } else {
      i = t.find('<');
      if (i == std::string_view::npos) {
        return fail(ErrorCode::kValidation, quote_for_message(t) + " is not a valid email address",
                    field_name);
      }
      const std::string_view name = trim(t.substr(0, i));
      if (name.find('"') != std::string_view::npos) {
        return fail(ErrorCode::kValidation,
                    "a display name with quotes must be fully quoted, as in \"Name\" <a@b.com>",
                    field_name);
      }
      mailbox.name = std::string(name);
    }
    address = trim(t.substr(i + 1, t.size() - i - 2));
  }

  mailbox.address = normalize_email(address);
  if (!is_valid_email(mailbox.address)) {
    return fail(ErrorCode::kValidation,
                quote_for_message(address) + " is not a valid email address", field_name);
  }
  // The name goes into a mail header: reject anything that could smuggle bytes there.
  if (!is_valid_utf8(mailbox.name)) {
    return fail(ErrorCode::kValidation, "the display name is not valid UTF-8", field_name);
  }
  if (has_control_chars(mailbox.name)) {
    return fail(ErrorCode::kValidation, "the display name contains a control character",
                field_name);
  }
  return mailbox;
}

std::string address_domain(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string domain = ascii_lowercase(address.substr(at + 1));
  while (!domain.empty() && (domain.back() == '.' || domain.back() == '>')) domain.pop_back();
  return domain;
}

std::string address_in_display_name(std::string_view name) {
  const std::size_t at = name.find('@');
  if (at == std::string_view::npos) return {};
  const auto is_address_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '+';
  };
  std::size_t begin = at;
  while (begin > 0 && is_address_char(name[begin - 1])) --begin;
  std::size_t end = at + 1;
  while (end < name.size() && is_address_char(name[end])) ++end;
  const std::string_view address = name.substr(begin, end - begin);
  if (begin == at || address.substr(at - begin).find('.') == std::string_view::npos) return {};
  return ascii_lowercase(address);
}

}  // namespace phishdrill
