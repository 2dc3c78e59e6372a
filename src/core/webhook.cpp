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

Result<void> validate_webhook(Webhook& w) {
  w.name = trim(w.name);
  w.url = trim(w.url);
  if (auto ok = check_line(w.name, "name", 200, true); !ok) return ok;
  if (!is_http_url(w.url)) {
    return fail(ErrorCode::kValidation, "url must be an absolute http:// or https:// URL", "url");
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
