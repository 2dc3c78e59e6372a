#include "core/webhook.h"

#include <algorithm>
#include <set>

#include "core/landing_page.h"
#include "core/text_rules.h"

namespace phishdrill {

const std::vector<std::string_view>& webhook_event_kinds() {
  static const std::vector<std::string_view> kinds = {"sent",    "send_failed", "opened",
                                                      "clicked", "submitted",   "reported"};
  return kinds;
}

namespace {

// "host[:port]" after the scheme, with any userinfo.
std::string_view authority(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view rest = url.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

}  // namespace

std::string url_host(std::string_view url) {
  std::string_view host = authority(url);
  host = host.substr(host.rfind('@') == std::string_view::npos ? 0 : host.rfind('@') + 1);
  if (host.starts_with('[')) return std::string(host.substr(1, host.find(']') - 1));
  return std::string(host.substr(0, host.find(':')));
}

std::string mask_webhook_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view host = authority(url);
  host = host.substr(host.rfind('@') == std::string_view::npos ? 0 : host.rfind('@') + 1);
  return std::string(url.substr(0, scheme_end + 3)) + std::string(host) + "/…";
}

Result<void> validate_webhook(Webhook& w, bool url_required) {
  w.name = trim(w.name);
  w.url = trim(w.url);
  if (auto ok = check_line(w.name, "name", 200, true); !ok) return ok;
  if (!w.url.empty() || url_required) {
    if (!is_http_url(w.url)) {
      return fail(ErrorCode::kValidation, "url must be an absolute http:// or https:// URL", "url");
    }
    if (authority(w.url).find('@') != std::string_view::npos) {
      return fail(ErrorCode::kValidation,
                  "url must not contain credentials (user:password@); receivers check the "
                  "signature made with the webhook's secret",
                  "url");
    }
  }
  if (w.events.empty()) {
    return fail(ErrorCode::kValidation, "choose at least one event", "events");
  }
  std::set<std::string> seen;
  const auto& known = webhook_event_kinds();
  for (const auto& kind : w.events) {
    if (std::find(known.begin(), known.end(), kind) == known.end()) {
      return fail(ErrorCode::kValidation,
                  "events must be among sent, send_failed, opened, clicked, submitted, reported",
                  "events");
    }
    if (!seen.insert(kind).second) {
      return fail(ErrorCode::kValidation, "an event is listed twice", "events");
    }
  }
  return {};
}

}  // namespace phishdrill
