// Drives the real admin API router over a real SQLite store in a temporary
// directory, with a fake clock: authentication, roles, CSRF, session expiry
// and login lockouts.
#include "api/admin_api.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/guard.h"
#include "api/json_io.h"
#include "core/ascii.h"
#include "crypto/sodium.h"
#include "net/router.h"
#include "service/relay_password.h"
#include "store/store.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::api {
namespace {

using testing_support::FakeClock;

namespace fs = std::filesystem;

constexpr std::int64_t kStart = 1'700'000'000;
constexpr const char* kAdminPassword = "correct-horse-battery";
constexpr const char* kClientIp = "203.0.113.5";

// argon2id is slow: hash the one password every test uses once.
const std::string& admin_password_hash() {
  static const std::string hash = crypto::hash_password(kAdminPassword).value();
  return hash;
}

std::string_view header_of(const net::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return {};
}

std::string error_code(const net::Response& response) {
  auto parsed = json::parse(response.body);
  return std::string(parsed.at("error").at("code").as_string());
}

using Query = std::vector<std::pair<std::string, std::string>>;

class AdminApiTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    const crypto::SecretKey key = key_;

    SecuritySettings security;
    security.login_max_failures = 3;
    security.ip_max_failures = 20;
    security.lockout_seconds = 60;
    security.session_idle_minutes = 30;
    context_.reset(
        new ApiContext{*store_, clock_, tokens_, key, security, "http://localhost:8080"});
    add_admin_api(router_, *context_);

    auto written = store_->write([&](Repositories& repos) -> Result<void> {
      ws_ = repos.accounts.create_workspace("Acme", kStart).id;
      other_ws_ = repos.accounts.create_workspace("Globex", kStart).id;
      return {};
    });
    ASSERT_TRUE(written.has_value());
    admin_ = add_user(ws_, "admin@acme.test", Role::kAdmin, admin_password_hash());
    viewer_ = add_user(ws_, "viewer@acme.test", Role::kViewer, "$argon2id$unused");
  }

  void TearDown() override {
    context_.reset();
    StoreFixture::TearDown();
  }

  User add_user(std::int64_t ws, const std::string& email, Role role, const std::string& hash,
                bool must_change = false) {
    User user;
    user.workspace_id = ws;
    user.email = email;
    user.role = role;
    user.must_change_password = must_change;
    user.created_at = kStart;
    auto written = store_->write([&](Repositories& repos) -> Result<void> {
      auto created = repos.accounts.create_user(user, hash);
      if (!created) return std::unexpected(created.error());
      user = *created;
      return {};
    });
    EXPECT_TRUE(written.has_value()) << written.error().message;
    return user;
  }

  // A fresh API key for `user` with `role`; returns the secret.
  std::string add_key(const User& user, Role role) {
    const std::string secret = "pd_" + crypto::random_token(32);
    ApiKey key;
    key.workspace_id = user.workspace_id;
    key.user_id = user.id;
    key.name = "key for " + user.email;
    key.role = role;
    key.prefix = secret.substr(0, 10);
    key.created_at = clock_.now();
    auto written = store_->write([&](Repositories& repos) -> Result<void> {
      repos.sessions.create_api_key(key, crypto::hash_token(secret));
      return {};
    });
    EXPECT_TRUE(written.has_value());
    return secret;
  }

  // Routes like the server does and calls the handler. A JSON content type is
  // added for a non-empty body unless `headers` already has one.
  net::Response call(const std::string& method, const std::string& path, std::string body = {},
                     net::HeaderList headers = {}, Query query = {},
                     const std::string& ip = kClientIp) {
    const auto match = router_.match(method, path);
    if (match.route == nullptr) {
      ADD_FAILURE() << "no route for " << method << " " << path;
      return net::Response::text(match.path_known ? 405 : 404, "");
    }
    net::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.headers = std::move(headers);
    if (!body.empty() && request.header("Content-Type").empty()) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    request.body = std::move(body);
    request.remote_ip = ip;
    request.path_params = match.params;
    request.route = match.route->pattern;
    return match.route->handler(request);
  }

  net::Response with_key(const std::string& key, std::string method, std::string path,
                         std::string body = {}) {
    return call(std::move(method), std::move(path), std::move(body),
                {{"Authorization", "Bearer " + key}});
  }

  struct Session {
    std::string token;  // cookie value
    std::string csrf;
  };

  net::Response login(const std::string& email, const std::string& password,
                      std::string ip = kClientIp) {
    json::object body{{"email", email}, {"password", password}};
    return call("POST", "/api/v1/session", json::serialize(body), {}, {}, ip);
  }

  Session login_ok(const std::string& email = "admin@acme.test",
                   const std::string& password = kAdminPassword,
                   const std::string& ip = kClientIp) {
    const auto response = login(email, password, ip);
    EXPECT_EQ(response.status, 200) << response.body;
    return session_of(response);
  }

  // The session an answer hands over (Set-Cookie and csrf_token).
  static Session session_of(const net::Response& response) {
    const std::string cookie(header_of(response, "Set-Cookie"));
    const std::string prefix = std::string(kSessionCookie) + "=";
    EXPECT_TRUE(cookie.starts_with(prefix)) << cookie;
    Session session;
    session.token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    if (response.status == 200) {
      session.csrf = std::string(json::parse(response.body).at("csrf_token").as_string());
    }
    return session;
  }

  net::Response with_session(const Session& s, std::string method, std::string path,
                             std::string body = {}, bool send_csrf = true) {
    net::HeaderList headers{
        {"Cookie", "theme=dark; " + std::string(kSessionCookie) + "=" + s.token + "; other=1"}};
    if (send_csrf) headers.emplace_back("X-CSRF-Token", s.csrf);
    return call(std::move(method), std::move(path), std::move(body), std::move(headers));
  }

  std::vector<std::string> audit_actions() {
    std::vector<std::string> actions;
    auto read = store_->read([&](Repositories& repos) -> Result<void> {
      for (const auto& e : repos.audit.list(ws_, {0, 500}).items) actions.push_back(e.action);
      return {};
    });
    EXPECT_TRUE(read.has_value());
    return actions;
  }

  FakeClock clock_;
  testing_support::FakeTokens tokens_;
  std::unique_ptr<ApiContext> context_;
  net::Router router_;
  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
  User admin_;
  User viewer_;
};

// --- API keys and roles ---------------------------------------------------

TEST_F(AdminApiTest, ViewerKeyMayReadButNotCreateGroups) {
  const auto key = add_key(viewer_, Role::kViewer);
  const auto list = with_key(key, "GET", "/api/v1/groups");
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(header_of(list, "Cache-Control"), "no-store");

  const auto create = with_key(key, "POST", "/api/v1/groups", R"({"name":"Finance"})");
  EXPECT_EQ(create.status, 403) << create.body;
  EXPECT_EQ(error_code(create), "forbidden");
  EXPECT_EQ(header_of(create, "Cache-Control"), "no-store");

  // Nothing was created.
  const auto after = with_key(key, "GET", "/api/v1/groups");
  EXPECT_TRUE(json::parse(after.body).at("items").as_array().empty());
}

TEST_F(AdminApiTest, KeyRoleIsCappedByItsUsersRole) {
  const auto key = add_key(viewer_, Role::kAdmin);  // more than the user has
  const auto create = with_key(key, "POST", "/api/v1/groups", R"({"name":"Finance"})");
  EXPECT_EQ(create.status, 403);
  const auto me = with_key(key, "GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json::parse(me.body).at("role").as_string(), "viewer");
  EXPECT_TRUE(json::parse(me.body).at("csrf_token").is_null());
}

TEST_F(AdminApiTest, OperatorKeyOfAdminCannotManageUsers) {
  const auto key = add_key(admin_, Role::kOperator);
  EXPECT_EQ(with_key(key, "POST", "/api/v1/groups", R"({"name":"G"})").status, 201);
  const auto users = with_key(key, "GET", "/api/v1/users");
  EXPECT_EQ(users.status, 403);
  EXPECT_EQ(error_code(users), "forbidden");
}

TEST_F(AdminApiTest, ApiKeyNeedsNoCsrfTokenAndIsAudited) {
  const auto key = add_key(admin_, Role::kAdmin);
  const auto create = with_key(key, "POST", "/api/v1/groups",
                               R"({"name":"Finance","targets":[{"email":"A@Example.com"}]})");
  ASSERT_EQ(create.status, 201) << create.body;
  const auto group = json::parse(create.body);
  EXPECT_EQ(group.at("name").as_string(), "Finance");
  EXPECT_EQ(group.at("target_count").as_int64(), 1);

  const auto dup = with_key(key, "POST", "/api/v1/groups", R"({"name":"Finance"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(error_code(dup), "conflict");
  EXPECT_EQ(json::parse(dup.body).at("error").at("field").as_string(), "name");

  const auto log = with_key(key, "GET", "/api/v1/audit-log");
  ASSERT_EQ(log.status, 200);
  const auto parsed = json::parse(log.body);
  const auto& items = parsed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);  // the failed duplicate was rolled back with its audit entry
  EXPECT_EQ(items[0].at("action").as_string(), "group.create");
  EXPECT_EQ(items[0].at("actor").at("kind").as_string(), "api_key");
  EXPECT_EQ(items[0].at("ip").as_string(), kClientIp);
}

TEST_F(AdminApiTest, MissingUnknownOrMalformedCredentialsAre401) {
  const auto none = call("GET", "/api/v1/groups", "", {});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(error_code(none), "unauthorized");

  EXPECT_EQ(with_key("pd_not_a_real_key", "GET", "/api/v1/groups").status, 401);

  const auto basic = call("GET", "/api/v1/groups", "", {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.status, 401);

  const auto bad_cookie =
      call("GET", "/api/v1/groups", "", {{"Cookie", std::string(kSessionCookie) + "=forged"}});
  EXPECT_EQ(bad_cookie.status, 401);
}

TEST_F(AdminApiTest, DeletedKeyStopsWorking) {
  const auto key = add_key(admin_, Role::kAdmin);
  const auto keys = with_key(key, "GET", "/api/v1/api-keys");
  ASSERT_EQ(keys.status, 200);
  const auto id = json::parse(keys.body).at("items").as_array()[0].at("id").as_int64();
  EXPECT_EQ(with_key(key, "DELETE", "/api/v1/api-keys/" + std::to_string(id)).status, 204);
  EXPECT_EQ(with_key(key, "GET", "/api/v1/groups").status, 401);
}

TEST_F(AdminApiTest, KeyLastUsedIsRecordedWithTheFakeClock) {
  const auto key = add_key(admin_, Role::kAdmin);
  clock_.advance(120);
  ASSERT_EQ(with_key(key, "GET", "/api/v1/groups").status, 200);
  std::int64_t last_used = 0;
  ASSERT_TRUE(store_
                  ->read([&](Repositories& repos) -> Result<void> {
                    last_used = repos.sessions.find_api_key(crypto::hash_token(key))->last_used_at;
                    return {};
                  })
                  .has_value());
  EXPECT_EQ(last_used, kStart + 120);
}

TEST_F(AdminApiTest, OtherWorkspacesGroupsAreNotFound) {
  const auto key = add_key(admin_, Role::kAdmin);
  const auto created = with_key(key, "POST", "/api/v1/groups", R"({"name":"Secret"})");
  ASSERT_EQ(created.status, 201);
  const auto id = json::parse(created.body).at("id").as_int64();

  const auto outsider = add_user(other_ws_, "boss@globex.test", Role::kAdmin, "$argon2id$x");
  const auto other_key = add_key(outsider, Role::kAdmin);
  const auto path = "/api/v1/groups/" + std::to_string(id);
  EXPECT_EQ(with_key(other_key, "GET", path).status, 404);
  EXPECT_EQ(with_key(other_key, "PUT", path, R"({"name":"Mine"})").status, 404);
  EXPECT_EQ(with_key(other_key, "DELETE", path).status, 404);
  EXPECT_EQ(with_key(other_key, "GET", path + "/targets").status, 404);
  EXPECT_TRUE(json::parse(with_key(other_key, "GET", "/api/v1/groups").body)
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(with_key(key, "GET", path).status, 200);
}

TEST_F(AdminApiTest, BadIdsAndPagingParameters) {
  const auto key = add_key(admin_, Role::kAdmin);
  EXPECT_EQ(with_key(key, "GET", "/api/v1/groups/abc").status, 404);
  EXPECT_EQ(with_key(key, "GET", "/api/v1/groups/0").status, 404);
  EXPECT_EQ(with_key(key, "GET", "/api/v1/groups/-1").status, 404);
  for (const char* limit : {"0", "501", "x"}) {
    auto r =
        call("GET", "/api/v1/groups", "", {{"Authorization", "Bearer " + key}}, {{"limit", limit}});
    EXPECT_EQ(r.status, 422) << limit;
  }
}

TEST_F(AdminApiTest, GroupListPagesWithCursor) {
  const auto key = add_key(admin_, Role::kAdmin);
  for (const char* name : {"A", "B", "C"}) {
    ASSERT_EQ(
        with_key(key, "POST", "/api/v1/groups", std::string(R"({"name":")") + name + "\"}").status,
        201);
  }
  auto first =
      call("GET", "/api/v1/groups", "", {{"Authorization", "Bearer " + key}}, {{"limit", "2"}});
  ASSERT_EQ(first.status, 200);
  const auto body = json::parse(first.body);
  ASSERT_EQ(body.at("items").as_array().size(), 2u);
  const std::string cursor(body.at("next_cursor").as_string());
  auto second = call("GET", "/api/v1/groups", "", {{"Authorization", "Bearer " + key}},
                     {{"limit", "2"}, {"cursor", cursor}});
  const auto rest = json::parse(second.body);
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").as_array()[0].at("name").as_string(), "C");
  EXPECT_TRUE(rest.at("next_cursor").is_null());
}

TEST_F(AdminApiTest, RequestBodyErrorsAreMapped) {
  const auto key = add_key(admin_, Role::kAdmin);
  const auto unknown = with_key(key, "POST", "/api/v1/groups", R"({"name":"G","colour":"red"})");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(error_code(unknown), "unknown_field");
  const auto wrong = with_key(key, "POST", "/api/v1/groups", R"({"name":5})");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(error_code(wrong), "invalid_type");
  const auto bad_target =
      with_key(key, "POST", "/api/v1/groups", R"({"name":"G","targets":[{"email":"nope"}]})");
  EXPECT_EQ(bad_target.status, 422);
  EXPECT_EQ(json::parse(bad_target.body).at("error").at("field").as_string(), "targets[0].email");
  const auto not_json = with_key(key, "POST", "/api/v1/groups", "{");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(error_code(not_json), "invalid_json");
  const auto text = call("POST", "/api/v1/groups", R"({"name":"G"})",
                         {{"Authorization", "Bearer " + key}, {"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415);
}

// --- Sessions and CSRF ------------------------------------------------------

TEST_F(AdminApiTest, LoginSetsHardenedCookieAndReturnsCsrfToken) {
  const auto response = login("admin@acme.test", kAdminPassword);
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string cookie(header_of(response, "Set-Cookie"));
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // secure_cookie is off here
  const auto body = json::parse(response.body);
  EXPECT_EQ(body.at("user").at("email").as_string(), "admin@acme.test");
  EXPECT_EQ(body.at("user").as_object().count("password_hash"), 0u);
  EXPECT_FALSE(body.at("csrf_token").as_string().empty());
  EXPECT_EQ(response.body.find("argon2"), std::string::npos);
}

TEST_F(AdminApiTest, LoginEmailIsCaseInsensitive) {
  EXPECT_EQ(login("  Admin@ACME.test ", kAdminPassword).status, 200);
}

TEST_F(AdminApiTest, SessionCookieWorksForReadsWithoutCsrf) {
  const auto session = login_ok();
  const auto me = with_session(session, "GET", "/api/v1/me", {}, /*send_csrf=*/false);
  ASSERT_EQ(me.status, 200) << me.body;
  const auto body = json::parse(me.body);
  EXPECT_EQ(body.at("user").at("email").as_string(), "admin@acme.test");
  EXPECT_EQ(body.at("csrf_token").as_string(), session.csrf);
  EXPECT_EQ(body.at("workspace").at("name").as_string(), "Acme");
}

TEST_F(AdminApiTest, UnsafeMethodWithSessionNeedsCsrfToken) {
  const auto session = login_ok();
  const auto missing =
      with_session(session, "POST", "/api/v1/groups", R"({"name":"G"})", /*send_csrf=*/false);
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_EQ(error_code(missing), "csrf");

  Session forged = session;
  forged.csrf = crypto::random_token(32);
  const auto wrong = with_session(forged, "POST", "/api/v1/groups", R"({"name":"G"})");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(error_code(wrong), "csrf");

  // A token of another session is not accepted either.
  const auto other = login_ok();
  Session mixed = session;
  mixed.csrf = other.csrf;
  EXPECT_EQ(with_session(mixed, "POST", "/api/v1/groups", R"({"name":"G"})").status, 403);

  // Nothing was written by the refused requests.
  EXPECT_TRUE(json::parse(with_session(session, "GET", "/api/v1/groups").body)
                  .at("items")
                  .as_array()
                  .empty());

  const auto ok = with_session(session, "POST", "/api/v1/groups", R"({"name":"G"})");
  EXPECT_EQ(ok.status, 201) << ok.body;
  const auto del =
      with_session(session, "DELETE",
                   "/api/v1/groups/" + std::to_string(json::parse(ok.body).at("id").as_int64()), {},
                   /*send_csrf=*/false);
  EXPECT_EQ(del.status, 403);
  EXPECT_EQ(error_code(del), "csrf");
}

TEST_F(AdminApiTest, SessionExpiresAfterIdleMinutes) {
  const auto session = login_ok();
  const std::int64_t idle = 30 * 60;
  clock_.advance(idle);  // exactly the limit: still valid
  EXPECT_EQ(with_session(session, "GET", "/api/v1/me").status, 200);
  clock_.advance(idle + 1);  // idle since the last request for longer than the limit
  const auto expired = with_session(session, "GET", "/api/v1/me");
  EXPECT_EQ(expired.status, 401) << expired.body;
  EXPECT_EQ(error_code(expired), "unauthorized");
  // The expired session is deleted, not merely refused: going back in time
  // does not revive it.
  clock_.set(kStart);
  EXPECT_EQ(with_session(session, "GET", "/api/v1/me").status, 401);
}

TEST_F(AdminApiTest, ActivityKeepsSessionAlive) {
  const auto session = login_ok();
  for (int i = 0; i < 5; ++i) {
    clock_.advance(25 * 60);  // under the 30-minute idle limit each time
    ASSERT_EQ(with_session(session, "GET", "/api/v1/groups").status, 200) << "step " << i;
  }
  clock_.advance(31 * 60);
  EXPECT_EQ(with_session(session, "GET", "/api/v1/groups").status, 401);
}

TEST_F(AdminApiTest, LogoutEndsTheSession) {
  const auto session = login_ok();
  const auto without_csrf =
      with_session(session, "DELETE", "/api/v1/session", {}, /*send_csrf=*/false);
  EXPECT_EQ(without_csrf.status, 403);
  const auto out = with_session(session, "DELETE", "/api/v1/session");
  EXPECT_EQ(out.status, 204) << out.body;
  const std::string cookie(header_of(out, "Set-Cookie"));
  EXPECT_NE(cookie.find("Max-Age=0"), std::string::npos) << cookie;
  EXPECT_EQ(with_session(session, "GET", "/api/v1/me").status, 401);
}

TEST_F(AdminApiTest, UserWhoMustChangePasswordIsLimitedUntilChanged) {
  add_user(ws_, "new@acme.test", Role::kAdmin, admin_password_hash(), /*must_change=*/true);
  auto session = login_ok("new@acme.test", kAdminPassword);
  EXPECT_EQ(with_session(session, "GET", "/api/v1/me").status, 200);
  const auto blocked = with_session(session, "GET", "/api/v1/groups");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(error_code(blocked), "password_change_required");

  // A second session of the same user is signed out by the change.
  const auto elsewhere = login_ok("new@acme.test", kAdminPassword);
  const auto changed = with_session(session, "POST", "/api/v1/me/password",
                                    R"({"current_password":"correct-horse-battery",)"
                                    R"("new_password":"a-brand-new-passphrase"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  // The caller carries on with a new session; the old token and every other
  // session of the user end.
  const auto rotated = session_of(changed);
  EXPECT_NE(rotated.token, session.token);
  EXPECT_NE(rotated.csrf, session.csrf);
  EXPECT_EQ(with_session(rotated, "GET", "/api/v1/groups").status, 200);
  EXPECT_EQ(with_session(rotated, "POST", "/api/v1/groups", R"({"name":"After"})").status, 201);
  EXPECT_EQ(with_session(session, "GET", "/api/v1/groups").status, 401);
  EXPECT_EQ(with_session(elsewhere, "GET", "/api/v1/me").status, 401);
  EXPECT_EQ(login("new@acme.test", kAdminPassword).status, 401);
}

// --- Login throttling -------------------------------------------------------

TEST_F(AdminApiTest, WrongPasswordIs401AndAudited) {
  const auto response = login("admin@acme.test", "wrong password!!");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(error_code(response), "invalid_credentials");
  EXPECT_TRUE(header_of(response, "Set-Cookie").empty());
  const auto actions = audit_actions();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], "session.login_failed");
}

TEST_F(AdminApiTest, AccountLocksAfterMaxFailuresAndUnlocksAfterLockout) {
  for (int i = 0; i < 3; ++i) {
    const auto r = login("admin@acme.test", "wrong password " + std::to_string(i));
    EXPECT_EQ(r.status, 401) << "attempt " << i;
    clock_.advance(1);
  }
  // Locked for 60 s from the third failure (at kStart + 2); even the right
  // password is refused without being checked.
  const auto locked = login("admin@acme.test", kAdminPassword);
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(error_code(locked), "rate_limited");
  EXPECT_EQ(header_of(locked, "Retry-After"), "59");

  clock_.set(kStart + 2 + 45);
  const auto still = login("admin@acme.test", kAdminPassword);
  EXPECT_EQ(still.status, 429);
  EXPECT_EQ(header_of(still, "Retry-After"), "15");

  clock_.set(kStart + 2 + 60);
  const auto unlocked = login("admin@acme.test", kAdminPassword);
  EXPECT_EQ(unlocked.status, 200) << unlocked.body;

  const auto actions = audit_actions();  // newest first
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0], "session.login");
  EXPECT_EQ(actions[1], "session.locked");
  EXPECT_EQ(actions[2], "session.login_failed");
}

TEST_F(AdminApiTest, LockoutIsPerAccountAndAddress) {
  for (int i = 0; i < 3; ++i) login("admin@acme.test", "wrong password " + std::to_string(i));
  EXPECT_EQ(login("admin@acme.test", kAdminPassword).status, 429);
  // Another account from the same address is not locked by this.
  add_user(ws_, "second@acme.test", Role::kOperator, admin_password_hash());
  EXPECT_EQ(login("second@acme.test", kAdminPassword).status, 200);
  // Nor is the account from another address: guesses from one address cannot
  // lock its owner out.
  EXPECT_EQ(login("admin@acme.test", kAdminPassword, "198.51.100.9").status, 200);
}

TEST_F(AdminApiTest, AccountWideLockoutSparesAddressesThatSignedInBefore) {
  context_->security.account_max_failures = 4;
  login_ok("admin@acme.test", kAdminPassword, "192.0.2.10");  // the owner's office
  for (int i = 0; i < 4; ++i) {  // spread over addresses, each under its own limit
    EXPECT_EQ(
        login("admin@acme.test", "wrong password!!", "198.51.100." + std::to_string(i)).status,
        401);
  }
  EXPECT_EQ(login("admin@acme.test", kAdminPassword, "203.0.113.1").status, 429);
  EXPECT_EQ(login("admin@acme.test", kAdminPassword, "192.0.2.10").status, 200);
  // Failures from a known address do not count towards the account-wide lock.
  clock_.advance(61);
  context_->security.account_max_failures = 2;
  for (int i = 0; i < 2; ++i) login("admin@acme.test", "wrong password!!", "192.0.2.10");
  EXPECT_EQ(login("admin@acme.test", kAdminPassword, "203.0.113.2").status, 200);
}

TEST_F(AdminApiTest, SessionEndsAfterItsAbsoluteLifetimeHoweverActive) {
  context_->security.session_max_hours = 2;
  const auto session = login_ok();
  for (int i = 0; i < 4; ++i) {
    clock_.advance(29 * 60);  // active, under the 30-minute idle limit
    ASSERT_EQ(with_session(session, "GET", "/api/v1/me").status, 200) << "step " << i;
  }
  clock_.advance(5 * 60);  // 2 h 1 min after login
  const auto expired = with_session(session, "GET", "/api/v1/me");
  EXPECT_EQ(expired.status, 401) << expired.body;
  EXPECT_NE(expired.body.find("expired"), std::string::npos) << expired.body;
}

TEST_F(AdminApiTest, WrongCurrentPasswordsLockOutPasswordChanges) {
  const auto session = login_ok();
  for (int i = 0; i < 3; ++i) {
    const auto wrong = with_session(session, "POST", "/api/v1/me/password",
                                    R"({"current_password":"not the password",)"
                                    R"("new_password":"a-brand-new-passphrase"})");
    EXPECT_EQ(wrong.status, 422) << wrong.body;
  }
  const auto locked = with_session(session, "POST", "/api/v1/me/password",
                                   R"({"current_password":"correct-horse-battery",)"
                                   R"("new_password":"a-brand-new-passphrase"})");
  EXPECT_EQ(locked.status, 429) << locked.body;
  const auto actions = audit_actions();
  EXPECT_EQ(actions[0], "user.password_change_locked");
  EXPECT_EQ(actions[1], "user.password_change_failed");
  clock_.advance(61);
  const auto changed = with_session(session, "POST", "/api/v1/me/password",
                                    R"({"current_password":"correct-horse-battery",)"
                                    R"("new_password":"a-brand-new-passphrase"})");
  EXPECT_EQ(changed.status, 200) << changed.body;
}

TEST_F(AdminApiTest, AdminPasswordResetEndsSessionsAndRevokesKeys) {
  const auto key = add_key(viewer_, Role::kViewer);
  ASSERT_EQ(with_key(key, "GET", "/api/v1/me").status, 200);
  const auto admin_key = add_key(admin_, Role::kAdmin);
  const auto reset = with_key(admin_key, "PUT", "/api/v1/users/" + std::to_string(viewer_.id),
                              R"({"password":"a-brand-new-passphrase"})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  const auto body = json::parse(reset.body);
  EXPECT_TRUE(body.at("must_change_password").as_bool());
  EXPECT_EQ(body.at("password_reset").at("api_keys_revoked").as_int64(), 1);
  EXPECT_EQ(with_key(key, "GET", "/api/v1/me").status, 401);
  // One's own password goes through /me/password.
  const auto own = with_key(admin_key, "PUT", "/api/v1/users/" + std::to_string(admin_.id),
                            R"({"password":"a-brand-new-passphrase"})");
  EXPECT_EQ(own.status, 422) << own.body;
}

TEST_F(AdminApiTest, SuccessfulLoginResetsFailureCount) {
  login("admin@acme.test", "wrong password 1");
  login("admin@acme.test", "wrong password 2");
  login_ok();
  login("admin@acme.test", "wrong password 3");
  login("admin@acme.test", "wrong password 4");
  // Only two failures since the success: not locked.
  EXPECT_EQ(login("admin@acme.test", kAdminPassword).status, 200);
}

TEST_F(AdminApiTest, AddressIsThrottledAfterIpMaxFailures) {
  context_->security.ip_max_failures = 2;
  // Unknown accounts: only the per-address throttle applies.
  EXPECT_EQ(login("ghost1@acme.test", "whatever password").status, 401);
  EXPECT_EQ(login("ghost2@acme.test", "whatever password").status, 401);
  const auto throttled = login("admin@acme.test", kAdminPassword);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(header_of(throttled, "Retry-After"), "60");
  EXPECT_EQ(login("admin@acme.test", kAdminPassword, "198.51.100.9").status, 200);
  clock_.advance(60);
  EXPECT_EQ(login("admin@acme.test", kAdminPassword).status, 200);
}

// security.ip_max_failures counts every failure from an address in the
// window: a valid login to one's own account in between must not reset it,
// or one account would allow spraying passwords at the others.
TEST_F(AdminApiTest, OwnSuccessfulLoginDoesNotResetAddressThrottle) {
  context_->security.ip_max_failures = 2;
  EXPECT_EQ(login("ghost1@acme.test", "guess one!!!").status, 401);
  login_ok();  // the attacker's own account
  EXPECT_EQ(login("ghost2@acme.test", "guess two!!!").status, 401);
  // Two failures from this address within the window: it must be locked out.
  const auto third = login("ghost3@acme.test", "guess three!!");
  EXPECT_EQ(third.status, 429) << third.body;
}

TEST_F(AdminApiTest, SecureCookieFlagFollowsSettings) {
  context_->security.secure_cookie = true;
  const auto response = login("admin@acme.test", kAdminPassword);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(std::string(header_of(response, "Set-Cookie")).find("; Secure"), std::string::npos);
}

TEST_F(AdminApiTest, LoginRequestValidation) {
  const auto missing = call("POST", "/api/v1/session", R"({"email":"admin@acme.test"})", {});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(json::parse(missing.body).at("error").at("field").as_string(), "password");
  const auto extra =
      call("POST", "/api/v1/session", R"({"email":"a@b.c","password":"x","remember":true})", {});
  EXPECT_EQ(extra.status, 422);
  EXPECT_EQ(error_code(extra), "unknown_field");
}

// --- Sending profiles through the API ----------------------------------------

TEST_F(AdminApiTest, ProfilePasswordIsWriteOnlyAndKeptWhenOmitted) {
  const auto key = add_key(admin_, Role::kAdmin);
  const auto created = with_key(key, "POST", "/api/v1/sending-profiles",
                                R"({"name":"Relay","kind":"smtp","host":"smtp.example.com",)"
                                R"("port":587,"tls":"starttls","username":"u",)"
                                R"("password":"S3cret-XYZ","from":"it@example.com"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("S3cret-XYZ"), std::string::npos);
  const auto id = json::parse(created.body).at("id").as_int64();
  EXPECT_TRUE(json::parse(created.body).at("has_password").as_bool());

  const auto path = "/api/v1/sending-profiles/" + std::to_string(id);
  const auto updated =
      with_key(key, "PUT", path,
               R"({"name":"Relay 2","kind":"smtp","host":"smtp.example.com","port":587,)"
               R"("tls":"starttls","username":"u","from":"it@example.com"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_TRUE(json::parse(updated.body).at("has_password").as_bool());

  std::optional<std::string> secret;
  ASSERT_TRUE(store_
                  ->read([&](Repositories& repos) -> Result<void> {
                    secret = service::open_relay_password(repos, key_, ws_, id);
                    return {};
                  })
                  .has_value());
  EXPECT_EQ(secret, "S3cret-XYZ");

  const auto log = with_key(key, "GET", "/api/v1/audit-log");
  EXPECT_EQ(log.body.find("S3cret-XYZ"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill::api
