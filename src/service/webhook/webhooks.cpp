#include "service/webhook/webhooks.h"

#include "core/role.h"
#include "service/audit.h"
#include "service/owned_resources.h"
#include "service/require_role.h"

namespace phishdrill::service {
namespace {

// The checks on what an admin gave, in the order the API has always answered them.
Result<void> validate(WebhookChange& change, const OutboundPolicy& outbound, bool create) {
  const auto& secret = change.secret;
  if (!secret.empty() && (secret.size() < 16 || secret.size() > 256)) {
    return fail(ErrorCode::kValidation, "secret must have 16 to 256 characters", "secret");
  }
  auto& w = change.webhook;
  PD_TRY(validate_webhook(w, create || change.url_given));
  if (w.url.empty()) return {};
  return outbound.check_host_literal(OutboundPurpose::kWebhook, url_host(w.url), "url");
}

// What the store keeps of the URL and secret; empty fields keep the stored ones.
WebhookSeals seal(const crypto::SecretKey& key, const std::string& url, const std::string& secret) {
  WebhookSeals seals;
  if (!url.empty()) {
    seals.url_masked = mask_webhook_url(url);
    seals.url_sealed = crypto::seal(key, url);
  }
  if (!secret.empty()) seals.secret_sealed = crypto::seal(key, secret);
  return seals;
}

}  // namespace

Result<Page<Webhook>> list_webhooks(Store& store, const Caller& caller, PageRequest page) {
  PD_TRY(require_role(caller, Role::kAdmin));
  Page<Webhook> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.webhooks.list_webhooks(caller.workspace_id, page);
    return {};
  }));
  return out;
}

Result<Webhook> get_webhook(Store& store, const Caller& caller, std::int64_t id) {
  PD_TRY(require_role(caller, Role::kAdmin));
  std::optional<Webhook> found;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    found = repos.webhooks.find_webhook(caller.workspace_id, id);
    return {};
  }));
  if (!found) return not_found();
  return std::move(*found);
}

Result<CreatedWebhook> create_webhook(const WebhookPorts& ports, const Caller& caller,
                                      WebhookChange change) {
  PD_TRY(require_role(caller, Role::kAdmin));
  PD_TRY(validate(change, ports.outbound, true));
  CreatedWebhook out;
  if (change.secret.empty()) {
    out.generated_secret = "whsec_" + ports.tokens.token(32);
    change.secret = out.generated_secret;
  }
  auto& w = change.webhook;
  w.created_at = w.updated_at = ports.clock.now();
  const auto seals = seal(ports.key, w.url, change.secret);
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    auto saved = repos.webhooks.create_webhook(caller.workspace_id, w, seals);
    if (!saved) return std::unexpected(saved.error());
    audit(repos, caller, w.created_at, "webhook.create", "webhook", saved->id,
          {{"name", saved->name}, {"url", saved->url_masked}});
    out.webhook = std::move(*saved);
    return {};
  }));
  return out;
}

Result<Webhook> update_webhook(const WebhookPorts& ports, const Caller& caller, std::int64_t id,
                               WebhookChange change) {
  PD_TRY(require_role(caller, Role::kAdmin));
  PD_TRY(validate(change, ports.outbound, false));
  auto& w = change.webhook;
  std::optional<Webhook> updated;
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    auto existing = repos.webhooks.find_webhook(caller.workspace_id, id);
    if (!existing) return not_found();
    // A client echoing the masked URL it was shown means "keep".
    if (w.url == existing->url_masked) w.url.clear();
    w.id = id;
    w.created_at = existing->created_at;
    w.updated_at = ports.clock.now();
    const auto seals = seal(ports.key, w.url, change.secret);
    PD_TRY(repos.webhooks.update_webhook(caller.workspace_id, w, seals));
    audit(repos, caller, w.updated_at, "webhook.update", "webhook", id,
          {{"name", w.name},
           {"url_changed", !w.url.empty()},
           {"url", w.url.empty() ? existing->url_masked : seals.url_masked},
           {"secret_changed", !change.secret.empty()}});
    updated = repos.webhooks.find_webhook(caller.workspace_id, id);
    return {};
  }));
  return std::move(*updated);
}

Result<void> delete_webhook(Store& store, std::int64_t now, const Caller& caller, std::int64_t id) {
  PD_TRY(require_role(caller, Role::kAdmin));
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.webhooks.delete_webhook(caller.workspace_id, id)) return not_found();
    audit(repos, caller, now, "webhook.delete", "webhook", id);
    return {};
  });
}

Result<Page<WebhookDelivery>> list_deliveries(Store& store, const Caller& caller,
                                              std::int64_t webhook_id, PageRequest page) {
  PD_TRY(require_role(caller, Role::kAdmin));
  std::optional<Page<WebhookDelivery>> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    if (!repos.webhooks.find_webhook(caller.workspace_id, webhook_id)) return {};
    out = repos.webhooks.list_deliveries(webhook_id, page);
    return {};
  }));
  if (!out) return not_found();
  return std::move(*out);
}

}  // namespace phishdrill::service
