// Webhook: an operator's HTTPS endpoint that receives tracking and sending
// events as they happen, signed with HMAC-SHA256 over "<timestamp>.<body>"
// using a per-webhook secret. The URL is a secret too (it often carries a
// token): sealed at rest, shown only masked ("https://hooks.example.com/…").
// Pure data plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct Webhook {
  std::int64_t id = 0;
  std::string name;
  std::string url;                  // the full URL: given on create/update, never read back
  std::string url_masked;           // scheme://host[:port]/… as stored for display
  std::vector<std::string> events;  // event kinds it receives
  bool active = true;
  bool has_secret = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The event kinds a webhook may subscribe to.
const std::vector<std::string_view>& webhook_event_kinds();

// name 1-200 chars; url absolute http(s) (≤ 2048) without credentials
// (user:password@), or empty when `url_required` is false (an update keeping
// the stored URL); events non-empty, known, no duplicates. Trims name and url.
Result<void> validate_webhook(Webhook& webhook, bool url_required = true);

// The host of an http(s) URL, without port or brackets ("" if none).
std::string url_host(std::string_view url);

// What answers and the audit log show of a webhook URL: scheme, host and
// port, then "/…" ("https://hooks.example.com/…").
std::string mask_webhook_url(std::string_view url);

struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::string kind;
  std::string payload;  // JSON, never secrets
  std::string state;    // "pending", "delivered", "failed"
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  int last_status = 0;
  std::string last_error;
  std::int64_t created_at = 0;
  std::int64_t delivered_at = 0;
};

}  // namespace phishdrill
