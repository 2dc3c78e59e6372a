// Sending profiles: CRUD and "send test email" over service/sending_profiles.
// The password is write-only: it is sealed at rest by the store and never
// appears in a response, a log line or the audit log.
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "service/sending_profiles.h"

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

struct ProfileInput {
  SendingProfile profile;
  bool password_given = false;
};

Result<ProfileInput> read_profile(const json::object& body) {
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "kind", "host", "port", "tls", "username", "password", "from",
                      "headers", "rate_per_minute"}));
  ProfileInput input;
  SendingProfile& p = input.profile;
  for (auto [key, out, required] :
       {std::tuple{"name", &p.name, true}, std::tuple{"host", &p.host, false},
        std::tuple{"username", &p.username, false}, std::tuple{"password", &p.password, false},
        std::tuple{"from", &p.from, true}}) {
    *out = PD_TRY(reader.string(key, required));
  }
  const auto parsed_kind = parse_transport_kind(PD_TRY(reader.string("kind", true)));
  if (!parsed_kind) return fail(ErrorCode::kValidation, "kind must be smtp or outbox", "kind");
  p.kind = *parsed_kind;
  const auto parsed_tls = parse_tls_mode(PD_TRY(reader.string("tls", false, "none")));
  if (!parsed_tls) return fail(ErrorCode::kValidation, "tls must be none, starttls or tls", "tls");
  p.tls = *parsed_tls;
  const std::int64_t port = PD_TRY(reader.integer("port", false, 0));
  if (port < 0 || port > 65535) {
    return fail(ErrorCode::kValidation, "port must be between 1 and 65535", "port");
  }
  p.port = static_cast<int>(port);
  const std::int64_t rate = PD_TRY(reader.integer("rate_per_minute", false, 0));
  if (rate < 0 || rate > 100000) {
    return fail(ErrorCode::kValidation, "rate_per_minute must be between 0 and 100000",
                "rate_per_minute");
  }
  p.rate_per_minute = static_cast<int>(rate);
  p.headers = PD_TRY(reader.headers("headers"));
  input.password_given = reader.has("password");
  return input;
}

service::ProfilePorts ports(ApiContext& context) {
  return {context.store, context.clock, context.key, context.outbound, context.send_test};
}

Result<net::Response> create_profile(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const json::object body = PD_TRY(parse_body(request));
  ProfileInput input = PD_TRY(read_profile(body));
  const SendingProfile created = PD_TRY(
      service::create_profile(ports(context), caller(who, request), std::move(input.profile)));
  return json_response(201, profile_json(created));
}

Result<net::Response> update_profile(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  ProfileInput input = PD_TRY(read_profile(body));
  const SendingProfile updated = PD_TRY(service::update_profile(
      ports(context), caller(who, request), id, std::move(input.profile), input.password_given));
  return json_response(200, profile_json(updated));
}

// POST /sending-profiles/{id}/test {"to": "addr"}: sends one test message now
// and reports the relay's answer (never the password).
Result<net::Response> test_profile(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"to"}));
  const std::string to = PD_TRY(reader.string("to", true));
  const auto report =
      PD_TRY(service::send_test_message(ports(context), caller(who, request), id, to));
  return json_response(200, json::object{{"result", report.result},
                                         {"smtp_code", report.smtp_code},
                                         {"reply", report.reply}});
}

}  // namespace

void add_profile_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/sending-profiles",
             guard(ctx, Role::kViewer,
                   list_handler<SendingProfile>(ctx, service::list_profiles, profile_json)));
  router.add("POST", "/api/v1/sending-profiles",
             guard(ctx, Role::kOperator, handler(create_profile)));
  router.add("GET", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kViewer, get_handler(ctx, service::find_profile, profile_json)));
  router.add("PUT", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kOperator, handler(update_profile)));
  router.add("POST", "/api/v1/sending-profiles/{id}/test",
             guard(ctx, Role::kOperator, handler(test_profile)));
  router.add("DELETE", "/api/v1/sending-profiles/{id}",
             guard(ctx, Role::kOperator, delete_handler(ctx, service::delete_profile)));
}

}  // namespace phishdrill::api
