// Session (login/logout), the caller's own account, users, API keys and the
// audit log.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "service/api_keys.h"
#include "service/audit_log.h"
#include "service/change_password.h"
#include "service/my_workspace.h"
#include "service/sessions.h"
#include "service/sign_in.h"
#include "service/users.h"

namespace phishdrill::api {
namespace {

json::object user_json(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"name", user.name},
          {"role", role_name(user.role)},
          {"must_change_password", user.must_change_password},
          {"created_at", format_rfc3339(user.created_at)}};
}

json::object api_key_json(const ApiKey& key) {
  return {{"id", key.id},
          {"name", key.name},
          {"role", role_name(key.role)},
          {"prefix", key.prefix},
          {"created_at", format_rfc3339(key.created_at)},
          {"last_used_at", key.last_used_at ? json::value(format_rfc3339(key.last_used_at))
                                            : json::value(nullptr)}};
}

json::object audit_json(const AuditEntry& entry) {
  json::value details;
  boost::system::error_code ec;
  details = json::parse(entry.details_json, ec);
  if (ec) details = json::object{};
  return {
      {"id", entry.id},
      {"at", format_rfc3339(entry.at)},
      {"actor", {{"kind", entry.actor.kind}, {"id", entry.actor.id}, {"label", entry.actor.label}}},
      {"action", entry.action},
      {"resource", {{"type", entry.resource_type}, {"id", entry.resource_id}}},
      {"ip", entry.ip},
      {"details", details}};
}

std::string session_cookie(const ApiContext& context, std::string_view token, bool clear) {
  std::string cookie = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", kSessionCookie,
                                   clear ? std::string_view() : token);
  if (clear) cookie += "; Max-Age=0";
  if (context.security.secure_cookie) cookie += "; Secure";
  return cookie;
}

// The sign-in use cases' view of the context.
service::SignInContext sign_in_context(ApiContext& context) {
  const auto& sec = context.security;
  return {
      context.store,
      context.login_throttle,
      context.tokens,
      {sec.login_max_failures, sec.ip_max_failures, sec.account_max_failures, sec.lockout_seconds},
      session_lifetime(sec)};
}

// The answer that hands a session to the browser: its cookie and CSRF token.
net::Response session_response(const ApiContext& context, const std::string& token,
                               json::object body) {
  body["csrf_token"] = csrf_token_for(context, token);
  auto response = json_response(200, body);
  response.set_header("Set-Cookie", session_cookie(context, token, false));
  return response;
}

Result<net::Response> login(ApiContext& context, net::Request& request) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"email", "password"}));
  service::SignInAttempt attempt;
  attempt.email = PD_TRY(reader.string("email", true));
  attempt.password = PD_TRY(reader.string("password", true));
  attempt.ip = request.remote_ip;
  auto sign_in = sign_in_context(context);
  const auto signed_in = PD_TRY(service::sign_in(sign_in, attempt, context.clock.now()));
  return session_response(context, signed_in.session_token,
                          json::object{{"user", user_json(signed_in.user)}});
}

Result<net::Response> logout(ApiContext& context, net::Request& request, const Principal& who) {
  PD_TRY(service::sign_out(context.store, caller(who, request),
                           who.cookie_session ? who.session_token : std::string(),
                           context.clock.now()));
  auto response = net::Response::no_content();
  response.set_header("Set-Cookie", session_cookie(context, {}, true));
  return response;
}

Result<net::Response> me(ApiContext& context, net::Request& request, const Principal& who) {
  const auto workspace = PD_TRY(service::my_workspace(context.store, caller(who, request)));
  json::object body{
      {"user", user_json(who.user)},
      {"role", role_name(who.role)},
      {"csrf_token", who.cookie_session ? json::value(csrf_token_for(context, who.session_token))
                                        : json::value(nullptr)}};
  if (workspace) body["workspace"] = {{"id", workspace->id}, {"name", workspace->name}};
  return json_response(200, body);
}

// A cookie caller's session is replaced by a new one (new cookie and CSRF
// token in the answer); service/change_password.h has the rules.
Result<net::Response> change_password(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"current_password", "new_password"}));
  service::PasswordChange change;
  change.current_password = PD_TRY(reader.string("current_password", true));
  change.new_password = PD_TRY(reader.string("new_password", true));
  change.new_session = who.cookie_session;
  auto sign_in = sign_in_context(context);
  const std::string token = PD_TRY(service::change_password(sign_in, caller(who, request), who.user,
                                                            change, context.clock.now()));
  if (token.empty()) return json_response(200, json::object{{"csrf_token", nullptr}});
  return session_response(context, token, {});
}

// The "role" field, which must be there.
Result<Role> read_role(const FieldReader& reader) {
  const std::string name = PD_TRY(reader.string("role", true));
  auto role = parse_role(name);
  if (!role) return fail(ErrorCode::kValidation, "role must be admin, operator or viewer", "role");
  return *role;
}

Result<net::Response> create_user(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"email", "name", "role", "password"}));
  service::NewUser user;
  user.email = PD_TRY(reader.string("email", true));
  user.name = PD_TRY(reader.string("name"));
  user.role = PD_TRY(read_role(reader));
  user.password = PD_TRY(reader.string("password", true));
  const User created =
      PD_TRY(service::create_user(context.store, caller(who, request), user, context.clock.now()));
  return json_response(201, user_json(created));
}

Result<net::Response> update_user(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "role", "password"}));
  service::UserChanges changes;
  if (reader.has("name")) changes.name = PD_TRY(reader.string("name"));
  if (reader.has("role")) changes.role = PD_TRY(read_role(reader));
  if (reader.has("password")) changes.password = PD_TRY(reader.string("password", true));
  const auto updated = PD_TRY(
      service::update_user(context.store, caller(who, request), id, changes, context.clock.now()));
  auto out = user_json(updated.user);
  if (updated.api_keys_revoked) {
    out["password_reset"] =
        json::object{{"sessions_ended", true}, {"api_keys_revoked", *updated.api_keys_revoked}};
  }
  return json_response(200, out);
}

Result<net::Response> delete_user(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  PD_TRY(service::delete_user(context.store, caller(who, request), id, context.clock.now()));
  return net::Response::no_content();
}

Result<net::Response> get_user(ApiContext& context, net::Request& request, const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  return json_response(
      200, user_json(PD_TRY(service::get_user(context.store, caller(who, request), id))));
}

Result<net::Response> create_api_key(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "role"}));
  service::NewApiKey key;
  key.name = PD_TRY(reader.string("name", true));
  if (reader.has("role")) key.role = PD_TRY(read_role(reader));
  const auto created = PD_TRY(service::create_api_key(
      context.store, context.tokens, caller(who, request), key, context.clock.now()));
  auto out = api_key_json(created.key);
  out["key"] = created.secret;
  return json_response(201, out);
}

Result<net::Response> revoke_api_key(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  PD_TRY(service::revoke_api_key(context.store, caller(who, request), id, context.clock.now()));
  return net::Response::no_content();
}

// A handler of this file with the context bound.
template <typename Handler>
ApiHandler bound(ApiContext& context, Handler handler) {
  return [&context, handler](net::Request& request, const Principal& who) {
    return handler(context, request, who);
  };
}

}  // namespace

void add_account_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  constexpr auto kPending = PasswordChange::kAllowedPending;
  router.add("POST", "/api/v1/session",
             unguarded([&ctx](net::Request& request) { return login(ctx, request); }));
  router.add("DELETE", "/api/v1/session", guard(ctx, Role::kViewer, bound(ctx, logout), kPending));
  router.add("GET", "/api/v1/me", guard(ctx, Role::kViewer, bound(ctx, me), kPending));
  router.add("POST", "/api/v1/me/password",
             guard(ctx, Role::kViewer, bound(ctx, change_password), kPending));

  router.add("GET", "/api/v1/users",
             guard(ctx, Role::kAdmin, list_handler<User>(ctx, service::list_users, user_json)));
  router.add("POST", "/api/v1/users", guard(ctx, Role::kAdmin, bound(ctx, create_user)));
  router.add("GET", "/api/v1/users/{id}", guard(ctx, Role::kAdmin, bound(ctx, get_user)));
  router.add("PUT", "/api/v1/users/{id}", guard(ctx, Role::kAdmin, bound(ctx, update_user)));
  router.add("DELETE", "/api/v1/users/{id}", guard(ctx, Role::kAdmin, bound(ctx, delete_user)));

  router.add(
      "GET", "/api/v1/api-keys",
      guard(ctx, Role::kAdmin, list_handler<ApiKey>(ctx, service::list_api_keys, api_key_json)));
  router.add("POST", "/api/v1/api-keys", guard(ctx, Role::kAdmin, bound(ctx, create_api_key)));
  router.add("DELETE", "/api/v1/api-keys/{id}",
             guard(ctx, Role::kAdmin, bound(ctx, revoke_api_key)));

  router.add(
      "GET", "/api/v1/audit-log",
      guard(ctx, Role::kAdmin, list_handler<AuditEntry>(ctx, service::list_audit_log, audit_json)));
}

}  // namespace phishdrill::api
