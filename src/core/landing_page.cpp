#include "core/landing_page.h"

#include <algorithm>
#include <set>

#include "core/secret_fields.h"
#include "core/text_rules.h"
#include "core/utf8.h"

namespace phishdrill {

std::string_view capture_policy_name(CapturePolicy policy) {
  switch (policy) {
    case CapturePolicy::kNone:
      return "none";
    case CapturePolicy::kFields:
      return "fields";
    case CapturePolicy::kValues:
      return "values";
  }
  return "none";
}

std::optional<CapturePolicy> parse_capture_policy(std::string_view name) {
  if (name == "none") return CapturePolicy::kNone;
  if (name == "fields") return CapturePolicy::kFields;
  if (name == "values") return CapturePolicy::kValues;
  return std::nullopt;
}

bool is_http_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (url.size() > 2048) return false;
  for (const unsigned char c : url) {
    if (c <= 32 || c == 127) return false;
  }
  const auto host_end = rest.find_first_of("/?#");
  const std::string_view host = rest.substr(0, host_end);
  return !host.empty() && host.front() != ':' && host.front() != '@';
}

namespace {

Result<void> validate_safe_fields(const LandingPage& page) {
  if (page.safe_fields.size() > 50) {
    return fail(ErrorCode::kValidation, "safe_fields may name at most 50 fields", "safe_fields");
  }
  std::set<std::string> secret_in_html;
  if (!page.safe_fields.empty()) secret_in_html = secret_fields_in_html(page.html);
  std::set<std::string> seen;
  for (const auto& name : page.safe_fields) {
    if (name.empty() || name.size() > 100 || !is_valid_utf8(name) || has_control_chars(name)) {
      return fail(ErrorCode::kValidation,
                  "each of safe_fields must be a field name of 1 to 100 characters", "safe_fields");
    }
    if (!seen.insert(name).second) {
      return fail(ErrorCode::kValidation, "safe_fields names \"" + name + "\" twice",
                  "safe_fields");
    }
    if (is_secret_field_name(name)) {
      return fail(ErrorCode::kValidation,
                  "safe_fields cannot name \"" + name +
                      "\": its name looks like a secret (password, PIN, code, card or account "
                      "number), so its value is never kept",
                  "safe_fields");
    }
    if (secret_in_html.contains(name)) {
      return fail(ErrorCode::kValidation,
                  "safe_fields cannot name \"" + name +
                      "\": the page's HTML marks it secret (a password input or a "
                      "password, one-time-code or card autocomplete), so its value is never kept",
                  "safe_fields");
    }
  }
  return {};
}

}  // namespace

Result<void> validate_landing_page(LandingPage& page) {
  page.name = trim(page.name);
  page.redirect_url = trim(page.redirect_url);
  page.source_url = trim(page.source_url);
  if (auto ok = check_line(page.name, "name", 200, true); !ok) return ok;
  if (!is_valid_utf8(page.html)) {
    return fail(ErrorCode::kValidation, "html is not valid UTF-8", "html");
  }
  if (page.html.size() > 5 * 1024 * 1024) {
    return fail(ErrorCode::kValidation, "html is larger than 5 MiB", "html");
  }
  if (!page.redirect_url.empty() && !is_http_url(page.redirect_url)) {
    return fail(ErrorCode::kValidation, "redirect_url must be an absolute http:// or https:// URL",
                "redirect_url");
  }
  if (!page.source_url.empty() && !is_http_url(page.source_url)) {
    return fail(ErrorCode::kValidation, "source_url must be an absolute http:// or https:// URL",
                "source_url");
  }
  return validate_safe_fields(page);
}

}  // namespace phishdrill
