#include "core/target.h"

#include <cstddef>
#include <string>
#include <utility>

#include "core/email_address.h"
#include "core/utf8.h"

namespace phishdrill {

namespace {

constexpr std::size_t kMaxLocaleLength = 35;
constexpr std::size_t kMaxSubtagLength = 8;
constexpr std::size_t kMaxEchoedChars = 80;

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

void trim_in_place(std::string& s) {
  std::size_t begin = 0;
  while (begin < s.size() && is_ascii_space(s[begin])) ++begin;
  std::size_t end = s.size();
  while (end > begin && is_ascii_space(s[end - 1])) --end;
  if (begin == 0 && end == s.size()) return;
  s = s.substr(begin, end - begin);
}

// Code points in already-validated UTF-8: every byte that is not a continuation byte.
std::size_t count_code_points(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

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
      const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      out.append(value.substr(i, length));
      i += length;
    }
    ++chars;
  }
  if (i < value.size()) out += "\u2026";
  out += '"';
  return out;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

// BCP 47-like: '-'-separated subtags of 1..8 letters or digits, the first of
// 2..8 letters ("en", "pt-BR", "zh-Hant-TW", "es-419").
bool is_locale_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxLocaleLength) return false;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const std::size_t dash = tag.find('-', start);
    const std::string_view subtag = tag.substr(start, dash - start);
    if (subtag.empty() || subtag.size() > kMaxSubtagLength) return false;
    for (const char c : subtag) {
      if (first ? !is_alpha(c) : !is_alnum(c)) return false;
    }
    if (first && subtag.size() < 2) return false;
    first = false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

std::unexpected<Error> field_error(std::string_view prefix, std::string_view name,
                                   std::string message) {
  std::string field(prefix);
  field += name;
  return fail(ErrorCode::kValidation, std::move(message), std::move(field));
}

// `label` is the human name used in messages ("first name").
Result<void> check_text(const std::string& value, std::string_view prefix, std::string_view name,
                        std::string_view label) {
  if (!is_valid_utf8(value)) {
    return field_error(prefix, name, std::string(label) + " is not valid UTF-8");
  }
  if (has_control_chars(value)) {
    return field_error(prefix, name,
                       std::string(label) + " contains a control character (such as a line break)");
  }
  if (count_code_points(value) > kMaxTargetTextLength) {
    return field_error(prefix, name,
                       std::string(label) + " is longer than " +
                           std::to_string(kMaxTargetTextLength) + " characters");
  }
  return {};
}

Result<void> check_email(std::string& value, std::string_view prefix, std::string_view name,
                         bool required) {
  if (value.empty()) {
    if (!required) return {};
    return field_error(prefix, name, "an email address is required");
  }
  value = normalize_email(value);
  if (!is_valid_email(value)) {
    return field_error(prefix, name, quote_for_message(value) + " is not a valid email address");
  }
  return {};
}

}  // namespace

Result<TargetFields> validate_target(TargetFields target, std::string_view field_prefix) {
  for (std::string* value : {&target.email, &target.first_name, &target.last_name, &target.position,
                             &target.department, &target.manager_email, &target.locale}) {
    trim_in_place(*value);
  }

  if (auto ok = check_email(target.email, field_prefix, "email", true); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  const struct {
    const std::string& value;
    std::string_view name;
    std::string_view label;
  } texts[] = {
      {target.first_name, "first_name", "first name"},
      {target.last_name, "last_name", "last name"},
      {target.position, "position", "position"},
      {target.department, "department", "department"},
  };
  for (const auto& text : texts) {
    if (auto ok = check_text(text.value, field_prefix, text.name, text.label); !ok) {
      return std::unexpected(std::move(ok.error()));
    }
  }
  if (auto ok = check_email(target.manager_email, field_prefix, "manager_email", false); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  if (!target.locale.empty() && !is_locale_tag(target.locale)) {
    return field_error(field_prefix, "locale",
                       quote_for_message(target.locale) +
                           " is not a valid locale (expected a tag such as en or en-US)");
  }
  return target;
}

}  // namespace phishdrill
