// A landing page: what a person sees after clicking a simulated phish, and
// what Phishdrill may record of a form they submit there (never secrets: only
// the values of fields the page names as safe, and no field that looks secret
// may be named so). Pure data plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

enum class CapturePolicy {
  kNone,    // only that a submission happened
  kFields,  // also which field names were filled
  kValues,  // also the values of the page's safe_fields
};

std::string_view capture_policy_name(CapturePolicy policy);
std::optional<CapturePolicy> parse_capture_policy(std::string_view name);

struct LandingPage {
  std::int64_t id = 0;
  std::string name;
  std::string html;
  CapturePolicy capture = CapturePolicy::kNone;
  std::string redirect_url;  // "" or an absolute http(s) URL
  // Where the page was copied from ("" or an absolute http(s) URL): its
  // relative links, images and styles resolve against it when served.
  std::string source_url;
  // The only fields whose values `capture: values` keeps; none may look secret.
  std::vector<std::string> safe_fields;
  // The page's own scripts run (set by an admin only; off by default).
  bool allow_scripts = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// name 1-200 chars; html valid UTF-8 at most 5 MiB; redirect_url and
// source_url empty or an absolute http:// or https:// URL with a host and no
// spaces or control characters; safe_fields at most 50 distinct names of 1-100
// chars, none secret by its name or by the page's HTML (the error names the
// field). Trims name and the URLs.
Result<void> validate_landing_page(LandingPage& page);

// True for an absolute http(s) URL with a non-empty host and no whitespace.
bool is_http_url(std::string_view url);

}  // namespace phishdrill
