// Webhooks (admin only): CRUD and the delivery log, parsed here and run by
// service/webhook/webhooks.h. The signing secret is write-only: given or
// generated on create (returned once), sealed at rest. The URL is sealed too
// and shown masked ("https://hooks.example.com/…", url_set); an update
// without "url" keeps the stored one. Literal addresses the outbound policy
// refuses are refused on save (422).
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "service/webhook/webhooks.h"

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

// Parses the fields; the service validates them. `create`: the url is
// required; on update a missing url keeps the stored one.
Result<service::WebhookChange> read_webhook(const json::object& body, bool create) {
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "url", "events", "active", "secret"}));
  service::WebhookChange change;
  auto& w = change.webhook;
  auto name = reader.string("name", true);
  if (!name) return std::unexpected(name.error());
  w.name = std::move(*name);
  auto url = reader.string("url", create);
  if (!url) return std::unexpected(url.error());
  w.url = std::move(*url);
  change.url_given = reader.has("url");
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
  change.secret = std::move(*secret);
  return change;
}

service::WebhookPorts ports(ApiContext& ctx) {
  return {ctx.store, ctx.clock, ctx.tokens, ctx.key, ctx.outbound};
}

Result<net::Response> create_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto change = read_webhook(*body, true);
  if (!change) return std::unexpected(change.error());
  auto created = service::create_webhook(ports(ctx), caller(who, request), std::move(*change));
  if (!created) return std::unexpected(created.error());
  auto out = webhook_json(created->webhook);
  if (!created->generated_secret.empty()) out["secret"] = created->generated_secret;  // shown once
  return json_response(201, out);
}

Result<net::Response> update_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto change = read_webhook(*body, false);
  if (!change) return std::unexpected(change.error());
  auto updated = service::update_webhook(ports(ctx), caller(who, request), *id, std::move(*change));
  if (!updated) return std::unexpected(updated.error());
  return json_response(200, webhook_json(*updated));
}

Result<net::Response> list_webhooks(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto page = page_request(request);
  if (!page) return std::unexpected(page.error());
  auto items = service::list_webhooks(ctx.store, caller(who, request), *page);
  if (!items) return std::unexpected(items.error());
  return json_response(200, list_body(items->items, items->next_after, webhook_json));
}

Result<net::Response> get_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto found = service::get_webhook(ctx.store, caller(who, request), *id);
  if (!found) return std::unexpected(found.error());
  return json_response(200, webhook_json(*found));
}

Result<net::Response> delete_webhook(ApiContext& ctx, net::Request& request, const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  PD_TRY(service::delete_webhook(ctx.store, ctx.clock.now(), caller(who, request), *id));
  return net::Response::no_content();
}

Result<net::Response> list_deliveries(ApiContext& ctx, net::Request& request,
                                      const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto page = page_request(request);
  if (!page) return std::unexpected(page.error());
  auto items = service::list_deliveries(ctx.store, caller(who, request), *id, *page);
  if (!items) return std::unexpected(items.error());
  return json_response(200, list_body(items->items, items->next_after, delivery_json));
}

}  // namespace

void add_webhook_routes(net::Router& router, ApiContext& context) {
  const auto route = [&](const char* method, const char* path, auto handler) {
    router.add(
        method, path,
        guard(context, Role::kAdmin, [&context, handler](net::Request& r, const Principal& p) {
          return handler(context, r, p);
        }));
  };
  route("GET", "/api/v1/webhooks", list_webhooks);
  route("POST", "/api/v1/webhooks", create_webhook);
  route("GET", "/api/v1/webhooks/{id}", get_webhook);
  route("PUT", "/api/v1/webhooks/{id}", update_webhook);
  route("DELETE", "/api/v1/webhooks/{id}", delete_webhook);
  route("GET", "/api/v1/webhooks/{id}/deliveries", list_deliveries);
}

}  // namespace phishdrill::api
