// Webhooks (admin only): CRUD and the delivery log. The signing secret is
// write-only: given or generated on create (returned once), sealed at rest.
// The URL is sealed too and shown masked ("https://hooks.example.com/…",
// url_set); an update without "url" keeps the stored one. Literal addresses
// the outbound policy refuses are refused on save (422).
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "crypto/sodium.h"
#include "service/owned_resources.h"

namespace phishdrill::api {
namespace {

json::object webhook_json(const Webhook& w) {
  json::array events;
  for (const auto& e : w.events) events.push_back(json::string(e));
  return {{"id", w.id},
          {"name", w.name},
          {"url", w.url_masked},
          {"url_set", !w.url_masked.empty()},
          {"events", std::move(events)},
          {"active", w.active},
          {"has_secret", w.has_secret},
          {"created_at", format_rfc3339(w.created_at)},
          {"updated_at", format_rfc3339(w.updated_at)}};
}

json::object delivery_json(const WebhookDelivery& d) {
  boost::system::error_code ec;
  json::value payload = json::parse(d.payload, ec);
  if (ec) payload = nullptr;
  return {{"id", d.id},
          {"event", d.kind},
          {"state", d.state},
          {"attempts", d.attempts},
          {"last_status", d.last_status},
          {"last_error", d.last_error},
          {"payload", payload},
          {"created_at", format_rfc3339(d.created_at)},
          {"delivered_at",
           d.delivered_at ? json::value(format_rfc3339(d.delivered_at)) : json::value(nullptr)}};
}

struct WebhookInput {
  Webhook webhook;
  std::string secret;  // "" = keep (update) or generate (create)
};

// `create`: the url is required; on update a missing url keeps the stored one
// (a given one, even "", must be valid).
Result<WebhookInput> read_webhook(const json::object& body, const OutboundPolicy& outbound,
                                  bool create) {
  FieldReader reader(body);
  if (auto ok = reader.only({"name", "url", "events", "active", "secret"}); !ok) {
    return std::unexpected(ok.error());
  }
  WebhookInput input;
  auto& w = input.webhook;
  auto name = reader.string("name", true);
  if (!name) return std::unexpected(name.error());
  w.name = std::move(*name);
  auto url = reader.string("url", create);
  if (!url) return std::unexpected(url.error());
  w.url = std::move(*url);
  auto events = reader.array("events", true);
  if (!events) return std::unexpected(events.error());
  for (const auto& e : **events) {
    if (!e.is_string()) return fail(ErrorCode::kInvalidType, "events must be strings", "events");
    w.events.emplace_back(e.as_string());
  }
  auto active = reader.boolean("active", true);
  if (!active) return std::unexpected(active.error());
  w.active = *active;
  auto secret = reader.string("secret");
  if (!secret) return std::unexpected(secret.error());
  if (!secret->empty() && (secret->size() < 16 || secret->size() > 256)) {
    return fail(ErrorCode::kValidation, "secret must have 16 to 256 characters", "secret");
  }
  input.secret = std::move(*secret);
  if (auto ok = validate_webhook(w, create || reader.has("url")); !ok) {
    return std::unexpected(ok.error());
  }
  if (!w.url.empty()) {
    if (auto ok = outbound.check_host_literal(OutboundPurpose::kWebhook, url_host(w.url), "url");
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  return input;
}

Result<net::Response> create_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto input = read_webhook(*body, ctx.outbound, true);
  if (!input) return std::unexpected(input.error());
  const bool generated = input->secret.empty();
  if (generated) input->secret = "whsec_" + crypto::random_token(32);
  input->webhook.created_at = input->webhook.updated_at = ctx.clock.now();
  std::optional<Webhook> created;
  auto written = ctx.store.write([&](Repositories& repos) -> Result<void> {
    auto saved =
        repos.webhooks.create_webhook(who.user.workspace_id, input->webhook, input->secret);
    if (!saved) return std::unexpected(saved.error());
    audit(repos, who, request, input->webhook.created_at, "webhook.create", "webhook", saved->id,
          {{"name", saved->name}, {"url", saved->url_masked}});
    created = std::move(*saved);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  auto out = webhook_json(*created);
  if (generated) out["secret"] = input->secret;  // shown once
  return json_response(201, out);
}

Result<net::Response> update_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto input = read_webhook(*body, ctx.outbound, false);
  if (!input) return std::unexpected(input.error());
  std::optional<Webhook> updated;
  auto written = ctx.store.write([&](Repositories& repos) -> Result<void> {
    auto existing = repos.webhooks.find_webhook(who.user.workspace_id, *id);
    if (!existing) return not_found();
    // A client echoing the masked URL it was shown means "keep".
    if (input->webhook.url == existing->url_masked) input->webhook.url.clear();
    input->webhook.id = *id;
    input->webhook.created_at = existing->created_at;
    input->webhook.updated_at = ctx.clock.now();
    if (auto ok =
            repos.webhooks.update_webhook(who.user.workspace_id, input->webhook, input->secret);
        !ok) {
      return ok;
    }
    audit(repos, who, request, input->webhook.updated_at, "webhook.update", "webhook", *id,
          {{"name", input->webhook.name},
           {"url_changed", !input->webhook.url.empty()},
           {"url", input->webhook.url.empty() ? existing->url_masked
                                              : mask_webhook_url(input->webhook.url)},
           {"secret_changed", !input->secret.empty()}});
    updated = repos.webhooks.find_webhook(who.user.workspace_id, *id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, webhook_json(*updated));
}

}  // namespace

void add_webhook_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  router.add("GET", "/api/v1/webhooks",
             guard(ctx, Role::kAdmin,
                   list_handler<Webhook>(ctx,
                                         service::list_owned([](Repositories& repos,
                                                                std::int64_t ws, PageRequest page) {
                                           return repos.webhooks.list_webhooks(ws, page);
                                         }),
                                         webhook_json)));
  router.add("POST", "/api/v1/webhooks",
             guard(ctx, Role::kAdmin, [&ctx](net::Request& r, const Principal& p) {
               return create_webhook(ctx, r, p);
             }));
  router.add(
      "GET", "/api/v1/webhooks/{id}",
      guard(ctx, Role::kAdmin,
            get_handler(
                ctx, service::find_owned([](Repositories& repos, std::int64_t ws, std::int64_t id) {
                  return repos.webhooks.find_webhook(ws, id);
                }),
                webhook_json)));
  router.add("PUT", "/api/v1/webhooks/{id}",
             guard(ctx, Role::kAdmin, [&ctx](net::Request& r, const Principal& p) {
               return update_webhook(ctx, r, p);
             }));
  router.add(
      "DELETE", "/api/v1/webhooks/{id}",
      guard(ctx, Role::kAdmin,
            delete_handler(ctx, service::delete_owned(
                                    [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                                      return repos.webhooks.delete_webhook(ws, id);
                                    },
                                    "webhook.delete", "webhook"))));
  router.add("GET", "/api/v1/webhooks/{id}/deliveries",
             guard(ctx, Role::kAdmin,
                   [&ctx](net::Request& r, const Principal& p) -> Result<net::Response> {
                     auto id = path_id(r);
                     if (!id) return std::unexpected(id.error());
                     auto page = page_request(r);
                     if (!page) return std::unexpected(page.error());
                     json::object body;
                     bool found = false;
                     auto read = ctx.store.read([&](Repositories& repos) -> Result<void> {
                       found = repos.webhooks.find_webhook(p.user.workspace_id, *id).has_value();
                       if (!found) return {};
                       auto items = repos.webhooks.list_deliveries(*id, *page);
                       body = list_body(items.items, items.next_after, delivery_json);
                       return {};
                     });
                     if (!read) return std::unexpected(read.error());
                     if (!found) return not_found();
                     return json_response(200, body);
                   }));
}

}  // namespace phishdrill::api
