// Managing a workspace's webhooks (admins only; others get kForbidden): list,
// get, create, update, delete and the delivery log. Webhooks and deliveries of
// another workspace are kNotFound. The URL and the signing secret are secrets:
// sealed here under the store key before they reach the store, read back only
// as the masked URL ("https://hooks.example.com/…") and has_secret. A create
// without a secret gets a generated one ("whsec_" + 32 random bytes from the
// TokenSource), returned once. An update without a URL, or echoing the
// masked one, keeps the stored URL; one without a secret keeps the secret.
// Literal addresses the outbound policy refuses are kValidation on "url".
// Every change is audited in its own transaction. Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/outbound_policy.h"
#include "core/token_source.h"
#include "core/webhook.h"
#include "crypto/sodium.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

struct WebhookPorts {
  Store& store;
  const Clock& clock;
  const TokenSource& tokens;
  const crypto::SecretKey& key;
  const OutboundPolicy& outbound;
};

// What an admin asks for, as parsed from the request.
struct WebhookChange {
  Webhook webhook;         // name, url, events, active
  bool url_given = false;  // on update: false keeps the stored URL
  std::string secret;      // "" = generate (create) or keep (update); else 16-256 chars
};

struct CreatedWebhook {
  Webhook webhook;
  std::string generated_secret;  // "" when the admin gave one
};

Result<Page<Webhook>> list_webhooks(Store& store, const Caller& caller, PageRequest page);
Result<Webhook> get_webhook(Store& store, const Caller& caller, std::int64_t id);
Result<CreatedWebhook> create_webhook(const WebhookPorts& ports, const Caller& caller,
                                      WebhookChange change);
Result<Webhook> update_webhook(const WebhookPorts& ports, const Caller& caller, std::int64_t id,
                               WebhookChange change);
Result<void> delete_webhook(Store& store, std::int64_t now, const Caller& caller, std::int64_t id);
Result<Page<WebhookDelivery>> list_deliveries(Store& store, const Caller& caller,
                                              std::int64_t webhook_id, PageRequest page);

}  // namespace phishdrill::service
