// Session (login/logout), the caller's own account, users, API keys and the
// audit log.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/email_address.h"
#include "core/log_text.h"
#include "core/text_rules.h"
#include "core/time_format.h"
#include "crypto/sodium.h"
#include "service/owned_resources.h"

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

Result<std::string> validate_new_password(std::string_view password, std::string_view email,
                                          std::string_view field) {
  if (utf8_length(password) < kMinPasswordLength) {
    return fail(ErrorCode::kValidation,
                fmt::format("the password must have at least {} characters", kMinPasswordLength),
                std::string(field));
  }
  if (password.size() > 1024) {
    return fail(ErrorCode::kValidation, "the password is longer than 1024 bytes",
                std::string(field));
  }
  if (normalize_email(password) == email) {
    return fail(ErrorCode::kValidation, "the password may not be your email address",
                std::string(field));
  }
  return crypto::hash_password(password);
}

// A hash to verify against when the email is unknown, so that unknown and
// known accounts take the same time to refuse.
const std::string& dummy_hash() {
  static const std::string hash = crypto::hash_password(crypto::random_token(16)).value_or("");
  return hash;
}

std::unexpected<Error> refuse_locked(int seconds, std::string_view what) {
  return std::unexpected(
      Error{ErrorCode::kRateLimited,
            fmt::format("too many failed {}; try again in {} seconds", what, seconds),
            {},
            {},
            seconds});
}

// A new session for `user`: the cookie value, stored hashed. Sessions past
// their idle or absolute lifetime are swept now and then (logins and
// password changes are natural moments).
std::string start_session(ApiContext& context, Repositories& repos, const User& user,
                          std::int64_t now) {
  const std::string token = crypto::random_token(32);
  repos.sessions.create_session(crypto::hash_token(token), user, now);
  repos.sessions.delete_expired_sessions(
      now - std::int64_t{context.security.session_idle_minutes} * 60,
      now - std::int64_t{context.security.session_max_hours} * 3600);
  return token;
}

// The answer that hands a session to the browser: its cookie and CSRF token.
net::Response session_response(const ApiContext& context, const std::string& token,
                               json::object body) {
  body["csrf_token"] = csrf_token_for(context, token);
  auto response = json_response(200, body);
  response.set_header("Set-Cookie", session_cookie(context, token, false));
  return response;
}

// Sign-in throttling (docs/configuration.md): failures count per client
// address, per (account, address) and per account. The account-wide count
// and lockout apply only to addresses the account has never signed in from,
// so a stranger's guesses can lock the account for strangers, never for its
// owner at their usual addresses; and one address's guesses lock only that
// address out of the account. Unknown emails are throttled in memory exactly
// like accounts, so a 429 reveals nothing.
Result<net::Response> login(ApiContext& context, net::Request& request) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"email", "password"}); !ok) return std::unexpected(ok.error());
  auto email = reader.string("email", true);
  if (!email) return std::unexpected(email.error());
  auto password = reader.string("password", true);
  if (!password) return std::unexpected(password.error());
  const std::string address = normalize_email(*email);
  const std::int64_t now = context.clock.now();
  const std::string& ip = request.remote_ip;
  const std::string ip_key = "ip:" + ip;
  const std::string pair_key = "login:" + address + "|" + ip;
  const std::string email_key = "email:" + address;
  const auto& sec = context.security;
  auto& throttle = context.login_throttle;

  // Every attempt is counted before the (slow) password check and refunded
  // when it succeeds (or is refused unchecked), so parallel guesses cannot
  // all slip past the limits.
  if (int wait = throttle.reserve(ip_key, now, sec.ip_max_failures, sec.lockout_seconds);
      wait > 0) {
    return refuse_locked(wait, "logins");
  }
  if (int wait = throttle.reserve(pair_key, now, sec.login_max_failures, sec.lockout_seconds);
      wait > 0) {
    throttle.refund(ip_key);
    return refuse_locked(wait, "logins");
  }
  std::optional<UserCredentials> credentials;
  bool known_address = false;
  int account_wait = 0;
  auto begun = context.store.write([&](Repositories& repos) -> Result<void> {
    credentials = repos.accounts.find_credentials(address);
    if (!credentials) return {};
    known_address = repos.sign_ins.has_signed_in_from(credentials->user.id, ip);
    if (!known_address) {
      account_wait = repos.sign_ins.begin_login_attempt(
          credentials->user.id, now, sec.account_max_failures, sec.lockout_seconds);
    }
    return {};
  });
  if (!begun) return std::unexpected(begun.error());
  if (!credentials) {
    account_wait = throttle.reserve(email_key, now, sec.account_max_failures, sec.lockout_seconds);
  }
  if (account_wait > 0) {
    throttle.refund(ip_key);
    throttle.refund(pair_key);
    return refuse_locked(account_wait, "logins");
  }

  const bool valid =
      crypto::verify_password(credentials ? credentials->password_hash : dummy_hash(), *password);
  if (!valid) {
    throttle.settle_failure(ip_key, now, sec.ip_max_failures, sec.lockout_seconds);
    const bool address_locked =
        throttle.settle_failure(pair_key, now, sec.login_max_failures, sec.lockout_seconds);
    spdlog::warn("event=login_failed ip={}", log_value(ip));
    if (!credentials) {
      throttle.settle_failure(email_key, now, sec.account_max_failures, sec.lockout_seconds);
      return fail(ErrorCode::kInvalidCredentials, "wrong email or password");
    }
    auto written = context.store.write([&](Repositories& repos) -> Result<void> {
      const bool account_locked =
          !known_address &&
          repos.sign_ins.settle_failed_login(credentials->user.id, now, sec.account_max_failures,
                                             sec.lockout_seconds);
      const User& user = credentials->user;
      Principal who{user, user.role, Actor{"user", user.id, user.email}, false, {}};
      if (account_locked || address_locked) {
        audit(repos, who, request, now, "session.locked", "user", user.id,
              {{"scope", account_locked ? "account" : "address"}});
      } else {
        audit(repos, who, request, now, "session.login_failed", "user", user.id);
      }
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return fail(ErrorCode::kInvalidCredentials, "wrong email or password");
  }
  // The address's own count is kept: a valid login of one's own must not
  // clear failed guesses at other accounts from the same address.
  throttle.refund(ip_key);
  throttle.clear(pair_key);

  const User& user = credentials->user;
  std::string token;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    if (!known_address) repos.sign_ins.refund_login_attempt(user.id);
    repos.sign_ins.remember_sign_in(user.id, ip, now);
    token = start_session(context, repos, user, now);
    Principal who{user, user.role, Actor{"user", user.id, user.email}, true, {}};
    audit(repos, who, request, now, "session.login", "user", user.id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return session_response(context, token, json::object{{"user", user_json(user)}});
}

Result<net::Response> logout(ApiContext& context, net::Request& request, const Principal& who) {
  const std::int64_t now = context.clock.now();
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    if (who.cookie_session) repos.sessions.delete_session(crypto::hash_token(who.session_token));
    audit(repos, who, request, now, "session.logout", "user", who.user.id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  auto response = net::Response::no_content();
  response.set_header("Set-Cookie", session_cookie(context, {}, true));
  return response;
}

Result<net::Response> me(ApiContext& context, const Principal& who) {
  std::optional<Workspace> workspace;
  auto read = context.store.read([&](Repositories& repos) -> Result<void> {
    workspace = repos.accounts.find_workspace(who.user.workspace_id);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  json::object body{
      {"user", user_json(who.user)},
      {"role", role_name(who.role)},
      {"csrf_token", who.cookie_session ? json::value(csrf_token_for(context, who.session_token))
                                        : json::value(nullptr)}};
  if (workspace) body["workspace"] = {{"id", workspace->id}, {"name", workspace->name}};
  return json_response(200, body);
}

// Throttled like a login (a stolen session must not be a password oracle):
// wrong current passwords count per user and per client address and lock
// out. On success every session of the user ends and the caller's session is
// replaced by a new one (new cookie and CSRF token in the answer); the
// user's API keys are kept (the owner changed their own password).
Result<net::Response> change_password(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"current_password", "new_password"}); !ok) {
    return std::unexpected(ok.error());
  }
  auto current = reader.string("current_password", true);
  if (!current) return std::unexpected(current.error());
  auto next = reader.string("new_password", true);
  if (!next) return std::unexpected(next.error());
  const std::int64_t now = context.clock.now();
  const auto& sec = context.security;
  auto& throttle = context.login_throttle;
  const std::string ip_key = "ip:" + request.remote_ip;
  const std::string user_key = fmt::format("password:{}", who.user.id);
  if (int wait = throttle.reserve(ip_key, now, sec.ip_max_failures, sec.lockout_seconds);
      wait > 0) {
    return refuse_locked(wait, "password checks");
  }
  if (int wait = throttle.reserve(user_key, now, sec.login_max_failures, sec.lockout_seconds);
      wait > 0) {
    throttle.refund(ip_key);
    return refuse_locked(wait, "password checks");
  }
  std::optional<UserCredentials> credentials;
  auto read = context.store.read([&](Repositories& repos) -> Result<void> {
    credentials = repos.accounts.find_credentials(who.user.email);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (!credentials || !crypto::verify_password(credentials->password_hash, *current)) {
    throttle.settle_failure(ip_key, now, sec.ip_max_failures, sec.lockout_seconds);
    const bool locked =
        throttle.settle_failure(user_key, now, sec.login_max_failures, sec.lockout_seconds);
    auto written = context.store.write([&](Repositories& repos) -> Result<void> {
      audit(repos, who, request, now,
            locked ? "user.password_change_locked" : "user.password_change_failed", "user",
            who.user.id);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return fail(ErrorCode::kValidation, "the current password is wrong", "current_password");
  }
  throttle.refund(ip_key);
  throttle.clear(user_key);
  if (*current == *next) {
    return fail(ErrorCode::kValidation, "choose a password different from the current one",
                "new_password");
  }
  auto hash = validate_new_password(*next, who.user.email, "new_password");
  if (!hash) return std::unexpected(hash.error());
  std::string token;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    repos.accounts.set_password(who.user.id, *hash, false);
    repos.sessions.delete_sessions_of(who.user.id);  // sign out everywhere
    // Whoever signed in with the old password no longer counts as the owner
    // for the account-wide lockout; the caller does.
    repos.sign_ins.forget_sign_ins(who.user.id);
    repos.sign_ins.remember_sign_in(who.user.id, request.remote_ip, now);
    if (who.cookie_session) {
      User user = who.user;
      user.must_change_password = false;
      token = start_session(context, repos, user, now);
    }
    audit(repos, who, request, now, "user.password_change", "user", who.user.id,
          {{"sessions_ended", true}});
    return {};
  });
  if (!written) return std::unexpected(written.error());
  if (token.empty()) return json_response(200, json::object{{"csrf_token", nullptr}});
  return session_response(context, token, {});
}

Result<Role> read_role(const FieldReader& reader, Role fallback, bool required) {
  auto name = reader.string("role", required, std::string(role_name(fallback)));
  if (!name) return std::unexpected(name.error());
  auto role = parse_role(*name);
  if (!role) return fail(ErrorCode::kValidation, "role must be admin, operator or viewer", "role");
  return *role;
}

Result<net::Response> create_user(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"email", "name", "role", "password"}); !ok) {
    return std::unexpected(ok.error());
  }
  User user;
  auto email = reader.string("email", true);
  if (!email) return std::unexpected(email.error());
  user.email = normalize_email(*email);
  if (!is_valid_email(user.email)) {
    return fail(ErrorCode::kValidation, "email is not a valid email address", "email");
  }
  auto name = reader.string("name");
  if (!name) return std::unexpected(name.error());
  user.name = trim(*name);
  if (auto ok = check_line(user.name, "name", 200, false); !ok) return std::unexpected(ok.error());
  auto role = read_role(reader, Role::kViewer, true);
  if (!role) return std::unexpected(role.error());
  user.role = *role;
  auto password = reader.string("password", true);
  if (!password) return std::unexpected(password.error());
  auto hash = validate_new_password(*password, user.email, "password");
  if (!hash) return std::unexpected(hash.error());
  user.workspace_id = who.user.workspace_id;
  user.must_change_password = true;
  user.created_at = context.clock.now();
  Result<User> created = fail(ErrorCode::kInternal, "not created");
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    created = repos.accounts.create_user(user, *hash);
    if (!created) return std::unexpected(created.error());
    audit(repos, who, request, user.created_at, "user.create", "user", created->id,
          {{"email", user.email}, {"role", role_name(user.role)}});
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(201, user_json(*created));
}

Result<net::Response> update_user(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"name", "role", "password"}); !ok) return std::unexpected(ok.error());
  std::optional<User> result;
  std::optional<json::object> reset;
  const std::int64_t now = context.clock.now();
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto user = repos.accounts.find_user(who.user.workspace_id, *id);
    if (!user) return not_found();
    auto name = reader.string("name", false, user->name);
    if (!name) return std::unexpected(name.error());
    user->name = trim(*name);
    if (auto ok = check_line(user->name, "name", 200, false); !ok) return ok;
    auto role = read_role(reader, user->role, false);
    if (!role) return std::unexpected(role.error());
    if (user->id == who.user.id && *role != user->role) {
      return fail(ErrorCode::kValidation, "you cannot change your own role", "role");
    }
    user->role = *role;
    json::object details{{"role", role_name(user->role)}};
    // A reset is for an account that may be in the wrong hands: every way in
    // that the old password gave ends (sessions, and API keys, which a
    // holder of the account could have made for themselves).
    if (reader.has("password")) {
      if (user->id == who.user.id) {
        return fail(ErrorCode::kValidation,
                    "change your own password with POST /api/v1/me/password", "password");
      }
      auto password = reader.string("password", true);
      if (!password) return std::unexpected(password.error());
      auto hash = validate_new_password(*password, user->email, "password");
      if (!hash) return std::unexpected(hash.error());
      repos.accounts.set_password(user->id, *hash, true);
      repos.sessions.delete_sessions_of(user->id);
      repos.sign_ins.forget_sign_ins(user->id);
      const int revoked = repos.sessions.delete_api_keys_of(user->id);
      user->must_change_password = true;
      reset = json::object{{"sessions_ended", true}, {"api_keys_revoked", revoked}};
      details["password_reset"] = true;
      details["sessions_ended"] = true;
      details["api_keys_revoked"] = revoked;
    }
    repos.accounts.update_user(*user);
    audit(repos, who, request, now, "user.update", "user", user->id, details);
    result = user;
    return {};
  });
  if (!written) return std::unexpected(written.error());
  auto out = user_json(*result);
  if (reset) out["password_reset"] = std::move(*reset);
  return json_response(200, out);
}

Result<net::Response> create_api_key(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"name", "role"}); !ok) return std::unexpected(ok.error());
  auto name = reader.string("name", true);
  if (!name) return std::unexpected(name.error());
  ApiKey key;
  key.name = trim(*name);
  if (auto ok = check_line(key.name, "name", 200, true); !ok) return std::unexpected(ok.error());
  auto role = read_role(reader, who.role, false);
  if (!role) return std::unexpected(role.error());
  if (!has_role(who.role, *role)) {
    return fail(ErrorCode::kValidation, "a key cannot have more privilege than you", "role");
  }
  key.role = *role;
  const std::string secret = "pd_" + crypto::random_token(32);
  key.prefix = secret.substr(0, 10);
  key.workspace_id = who.user.workspace_id;
  key.user_id = who.user.id;
  key.created_at = context.clock.now();
  ApiKey created;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    created = repos.sessions.create_api_key(key, crypto::hash_token(secret));
    audit(repos, who, request, key.created_at, "api_key.create", "api_key", created.id,
          {{"name", key.name}, {"role", role_name(key.role)}});
    return {};
  });
  if (!written) return std::unexpected(written.error());
  auto out = api_key_json(created);
  out["key"] = secret;
  return json_response(201, out);
}

}  // namespace

void add_account_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  router.add("POST", "/api/v1/session",
             unguarded([&ctx](net::Request& request) { return login(ctx, request); }));
  router.add("DELETE", "/api/v1/session",
             guard(
                 ctx, Role::kViewer,
                 [&ctx](net::Request& r, const Principal& p) { return logout(ctx, r, p); },
                 PasswordChange::kAllowedPending));
  router.add(
      "GET", "/api/v1/me",
      guard(
          ctx, Role::kViewer, [&ctx](net::Request&, const Principal& p) { return me(ctx, p); },
          PasswordChange::kAllowedPending));
  router.add("POST", "/api/v1/me/password",
             guard(
                 ctx, Role::kViewer,
                 [&ctx](net::Request& r, const Principal& p) { return change_password(ctx, r, p); },
                 PasswordChange::kAllowedPending));

  router.add("GET", "/api/v1/users",
             guard(ctx, Role::kAdmin,
                   list_handler<User>(ctx,
                                      service::list_owned([](Repositories& repos, std::int64_t ws,
                                                             PageRequest page) {
                                        return repos.accounts.list_users(ws, page);
                                      }),
                                      user_json)));
  router.add("POST", "/api/v1/users",
             guard(ctx, Role::kAdmin,
                   [&ctx](net::Request& r, const Principal& p) { return create_user(ctx, r, p); }));
  router.add(
      "GET", "/api/v1/users/{id}",
      guard(ctx, Role::kAdmin,
            get_handler(
                ctx, service::find_owned([](Repositories& repos, std::int64_t ws, std::int64_t id) {
                  return repos.accounts.find_user(ws, id);
                }),
                user_json)));
  router.add("PUT", "/api/v1/users/{id}",
             guard(ctx, Role::kAdmin,
                   [&ctx](net::Request& r, const Principal& p) { return update_user(ctx, r, p); }));
  router.add("DELETE", "/api/v1/users/{id}",
             guard(ctx, Role::kAdmin,
                   [&ctx](net::Request& r, const Principal& p) -> Result<net::Response> {
                     auto id = path_id(r);
                     if (!id) return std::unexpected(id.error());
                     if (*id == p.user.id) {
                       return fail(ErrorCode::kValidation, "you cannot delete yourself", "id");
                     }
                     const auto now = ctx.clock.now();
                     auto written = ctx.store.write([&](Repositories& repos) -> Result<void> {
                       if (!repos.accounts.delete_user(p.user.workspace_id, *id))
                         return not_found();
                       audit(repos, p, r, now, "user.delete", "user", *id);
                       return {};
                     });
                     if (!written) return std::unexpected(written.error());
                     return net::Response::no_content();
                   }));

  router.add("GET", "/api/v1/api-keys",
             guard(ctx, Role::kAdmin,
                   list_handler<ApiKey>(ctx,
                                        service::list_owned([](Repositories& repos, std::int64_t ws,
                                                               PageRequest page) {
                                          return repos.sessions.list_api_keys(ws, page);
                                        }),
                                        api_key_json)));
  router.add("POST", "/api/v1/api-keys",
             guard(ctx, Role::kAdmin, [&ctx](net::Request& r, const Principal& p) {
               return create_api_key(ctx, r, p);
             }));
  router.add(
      "DELETE", "/api/v1/api-keys/{id}",
      guard(ctx, Role::kAdmin,
            delete_handler(ctx, service::delete_owned(
                                    [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                                      return repos.sessions.delete_api_key(ws, id);
                                    },
                                    "api_key.delete", "api_key"))));

  router.add(
      "GET", "/api/v1/audit-log",
      guard(
          ctx, Role::kAdmin,
          list_handler<AuditEntry>(
              ctx, service::list_owned([](Repositories& repos, std::int64_t ws, PageRequest page) {
                return repos.audit.list(ws, page);
              }),
              audit_json)));
}

}  // namespace phishdrill::api
