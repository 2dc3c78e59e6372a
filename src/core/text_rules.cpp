#include "core/text_rules.h"

#include <fmt/format.h>

#include "core/ascii.h"
#include "core/utf8.h"

namespace phishdrill {

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (const unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

Result<void> check_line(std::string_view value, std::string_view field, std::size_t max_chars,
                        bool required) {
  if (required && trim(value).empty()) {
    return fail(ErrorCode::kValidation, fmt::format("{} is required", field), std::string(field));
  }
  if (!is_valid_utf8(value)) {
    return fail(ErrorCode::kValidation, fmt::format("{} is not valid UTF-8", field),
                std::string(field));
  }
  if (has_control_chars(value)) {
    return fail(ErrorCode::kValidation,
                fmt::format("{} must be a single line without control characters", field),
                std::string(field));
  }
  if (utf8_length(value) > max_chars) {
    return fail(ErrorCode::kValidation,
                fmt::format("{} is longer than {} characters", field, max_chars),
                std::string(field));
  }
  return {};
}

namespace {

// Headers the message composer owns, and recipients that must never be added
// behind the target's back.
bool is_reserved_header(std::string_view name) {
  const std::string lower = ascii_lowercase(name);
  for (const char* reserved : {"from", "to", "cc", "bcc", "subject", "date", "message-id",
                               "mime-version", "sender", "return-path"}) {
    if (lower == reserved) return true;
  }
  return lower.starts_with("content-");
}

}  // namespace

Result<void> check_headers(const std::vector<HeaderField>& headers, std::string_view field) {
  if (headers.size() > 50) {
    return fail(ErrorCode::kValidation, "at most 50 headers are allowed", std::string(field));
  }
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& h = headers[i];
    const std::string name_field = fmt::format("{}[{}].name", field, i);
    if (h.name.empty() || h.name.size() > 76) {
      return fail(ErrorCode::kValidation, "a header name must have 1 to 76 characters", name_field);
    }
    for (const char c : h.name) {
      if (c <= 32 || c >= 127 || c == ':') {
        return fail(ErrorCode::kValidation,
                    fmt::format("header name \"{}\" may only contain printable ASCII without "
                                "spaces or ':'",
                                valid_utf8(utf8_prefix(h.name, 40))),
                    name_field);
      }
    }
    if (is_reserved_header(h.name)) {
      return fail(ErrorCode::kValidation,
                  fmt::format("\"{}\" is set by Phishdrill and cannot be a custom header", h.name),
                  name_field);
    }
    const std::string value_field = fmt::format("{}[{}].value", field, i);
    if (h.value.size() > 998) {
      return fail(ErrorCode::kValidation, "a header value must be at most 998 octets", value_field);
    }
    if (auto ok = check_line(h.value, value_field, 998, false); !ok) return ok;
  }
  return {};
}

}  // namespace phishdrill
