// Sending profiles: CRUD. The password is write-only: it is sealed at rest by
// the store and never appears in a response, a log line or the audit log.
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/email_address.h"
#include "core/time_format.h"

namespace phishdrill::api {
namespace {

json::object profile_json(const SendingProfile& p) {
  json::array headers;
  for (const auto& h : p.headers)
    headers.push_back(json::object{{"name", h.name}, {"value", h.value}});
  return {{"id", p.id},
          {"name", p.name},
          {"kind", transport_kind_name(p.kind)},
          {"host", p.host},
          {"port", p.port},
          {"tls", tls_mode_name(p.tls)},
          {"username", p.username},
          {"has_password", p.has_password},
          {"from", p.from},
          {"headers", std::move(headers)},
          {"rate_per_minute", p.rate_per_minute},
          {"created_at", format_rfc3339(p.created_at)},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

// The relay settings a password is bound to, for the audit log.
json::object relay_json(const SendingProfile& p) {
  return {{"kind", transport_kind_name(p.kind)},
          {"host", p.host},
          {"port", p.port},
          {"tls", tls_mode_name(p.tls)},
          {"username", p.username}};
}

struct ProfileInput {
  SendingProfile profile;
  bool password_given = false;
};

Result<ProfileInput> read_profile(const json::object& body, const OutboundPolicy& outbound) {
  FieldReader reader(body);
  if (auto ok = reader.only({"name", "kind", "host", "port", "tls", "username", "password", "from",
                             "headers", "rate_per_minute"});
      !ok) {
    return std::unexpected(ok.error());
  }
  ProfileInput input;
  SendingProfile& p = input.profile;
  for (auto [key, out, required] :
       {std::tuple{"name", &p.name, true}, std::tuple{"host", &p.host, false},
        std::tuple{"username", &p.username, false}, std::tuple{"password", &p.password, false},
        std::tuple{"from", &p.from, true}}) {
    auto text = reader.string(key, required);
    if (!text) return std::unexpected(text.error());
    *out = std::move(*text);
  }
  auto kind = reader.string("kind", true);
  if (!kind) return std::unexpected(kind.error());
  auto parsed_kind = parse_transport_kind(*kind);
  if (!parsed_kind) return fail(ErrorCode::kValidation, "kind must be smtp or outbox", "kind");
  p.kind = *parsed_kind;
  auto tls = reader.string("tls", false, "none");
  if (!tls) return std::unexpected(tls.error());
  auto parsed_tls = parse_tls_mode(*tls);
  if (!parsed_tls) return fail(ErrorCode::kValidation, "tls must be none, starttls or tls", "tls");
  p.tls = *parsed_tls;
  auto port = reader.integer("port", false, 0);
  if (!port) return std::unexpected(port.error());
  if (*port < 0 || *port > 65535) {
    return fail(ErrorCode::kValidation, "port must be between 1 and 65535", "port");
  }
  p.port = static_cast<int>(*port);
  auto rate = reader.integer("rate_per_minute", false, 0);
  if (!rate) return std::unexpected(rate.error());
  if (*rate < 0 || *rate > 100000) {
    return fail(ErrorCode::kValidation, "rate_per_minute must be between 0 and 100000",
                "rate_per_minute");
  }
  p.rate_per_minute = static_cast<int>(*rate);
  auto headers = reader.headers("headers");
  if (!headers) return std::unexpected(headers.error());
  p.headers = std::move(*headers);
  input.password_given = reader.has("password");
  p.has_password = !p.password.empty();
  if (auto ok = validate_sending_profile(p); !ok) return std::unexpected(ok.error());
  if (p.kind == TransportKind::kSmtp) {
    if (auto ok = outbound.check_host_literal(OutboundPurpose::kSmtpRelay, p.host, "host"); !ok) {
      return std::unexpected(ok.error());
    }
  }
  return input;
}

Result<net::Response> create_profile(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto input = read_profile(*body, context.outbound);
  if (!input) return std::unexpected(input.error());
  SendingProfile& p = input->profile;
  p.created_at = p.updated_at = context.clock.now();
  std::optional<SendingProfile> created;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto saved = repos.templates.create_profile(who.user.workspace_id, p);
    if (!saved) return std::unexpected(saved.error());
    audit(repos, who, request, p.created_at, "sending_profile.create", "sending_profile", saved->id,
          {{"name", p.name}, {"kind", transport_kind_name(p.kind)}, {"relay", relay_json(p)}});
    created = std::move(*saved);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(201, profile_json(*created));
}

Result<net::Response> update_profile(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto input = read_profile(*body, context.outbound);
  if (!input) return std::unexpected(input.error());
  SendingProfile& p = input->profile;
  const auto now = context.clock.now();
  std::optional<SendingProfile> updated;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto existing = repos.templates.find_profile(who.user.workspace_id, *id);
    if (!existing) return not_found();
    if (auto ok = check_profile_update(*existing, p, input->password_given); !ok) return ok;
    p.id = *id;
    p.created_at = existing->created_at;
    p.updated_at = now;
    if (auto ok = repos.templates.update_profile(who.user.workspace_id, p, !input->password_given);
        !ok) {
      return ok;
    }
    audit(repos, who, request, now, "sending_profile.update", "sending_profile", *id,
          {{"name", p.name},
           {"password_changed", input->password_given},
           {"relay_before", relay_json(*existing)},
           {"relay_after", relay_json(p)}});
    updated = repos.templates.find_profile(who.user.workspace_id, *id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, profile_json(*updated));
}

const char* outcome_name(SendOutcome::Status status) {
  switch (status) {
    case SendOutcome::Status::kSent:
      return "sent";
    case SendOutcome::Status::kTemporary:
      return "temporary_failure";
    case SendOutcome::Status::kPermanent:
      return "permanent_failure";
  }
  return "permanent_failure";
}

// POST /sending-profiles/{id}/test {"to": "addr"}: sends one test message now
// and reports the relay's answer (never the password).
Result<net::Response> test_profile(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"to"}); !ok) return std::unexpected(ok.error());
  auto to = reader.string("to", true);
  if (!to) return std::unexpected(to.error());
  const std::string address = normalize_email(*to);
  if (!is_valid_email(address)) {
    return fail(ErrorCode::kValidation, "to is not a valid email address", "to");
  }
  std::optional<SendingProfile> profile;
  std::string password;
  auto read = context.store.read([&](Repositories& repos) -> Result<void> {
    profile = repos.templates.find_profile(who.user.workspace_id, *id);
    if (profile) {
      password = repos.templates.find_profile_secret(who.user.workspace_id, *id).value_or("");
    }
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (!profile) return not_found();
  const auto outcome = context.send_test(*profile, password, address);
  const auto now = context.clock.now();
  (void)context.store.write([&](Repositories& repos) -> Result<void> {
    audit(repos, who, request, now, "sending_profile.test", "sending_profile", *id,
          {{"to", address}, {"result", outcome_name(outcome.status)}});
    return {};
  });
  return json_response(200, json::object{{"result", outcome_name(outcome.status)},
                                         {"smtp_code", outcome.smtp_code},
                                         {"reply", outcome.reply}});
}

}  // namespace

void add_profile_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/sending-profiles",
             guard(ctx, Role::kViewer,
                   list_handler<SendingProfile>(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, PageRequest page) {
                         return repos.templates.list_profiles(ws, page);
                       },
                       profile_json)));
  router.add("POST", "/api/v1/sending-profiles",
             guard(ctx, Role::kOperator, handler(create_profile)));
  router.add("GET", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kViewer,
                   get_handler(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                         return repos.templates.find_profile(ws, id);
                       },
                       profile_json)));
  router.add("PUT", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kOperator, handler(update_profile)));
  router.add("POST", "/api/v1/sending-profiles/{id}/test",
             guard(ctx, Role::kOperator, handler(test_profile)));
  router.add("DELETE", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kOperator,
                   delete_handler(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                         return repos.templates.delete_profile(ws, id);
                       },
                       "sending_profile.delete", "sending_profile")));
}

}  // namespace phishdrill::api
