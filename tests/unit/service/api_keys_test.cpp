// API keys (service/api_keys.h): created with a secret from the token source
// (admins only), found again by that secret with no more than its user's role,
// listed and revoked within the workspace.
#include "service/api_keys.h"

#include <gtest/gtest.h>

#include <string>

#include "accounts_fixture.h"

namespace phishdrill::service {
namespace {

class ApiKeysTest : public testing_support::AccountsFixture {
 protected:
  CreatedApiKey create(const User& by, const std::string& name, std::optional<Role> role = {}) {
    auto created = create_api_key(*store_, tokens_, caller_of(by), {name, role}, clock_.now());
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.value_or(CreatedApiKey{});
  }
};

TEST_F(ApiKeysTest, CreatedKeyActsAsItsUserWithItsRole) {
  const auto created = create(admin_, "  deploy script ", Role::kOperator);
  EXPECT_EQ(created.secret.substr(0, 5), "pd_t1");
  EXPECT_EQ(created.secret.size(), 3u + 43u);
  EXPECT_EQ(created.key.prefix, created.secret.substr(0, 10));
  EXPECT_EQ(created.key.name, "deploy script");
  EXPECT_EQ(created.key.role, Role::kOperator);
  EXPECT_EQ(audit_actions(ws_).front(), "api_key.create");

  auto who = authenticate_api_key(*store_, created.secret, clock_.now());
  ASSERT_TRUE(who.has_value()) << who.error().message;
  EXPECT_EQ(who->user.id, admin_.id);
  EXPECT_EQ(who->role, Role::kOperator);
  EXPECT_EQ(who->actor.kind, "api_key");
  EXPECT_EQ(who->actor.id, created.key.id);
}

TEST_F(ApiKeysTest, KeyDefaultsToItsCreatorsRoleAndRecordsUse) {
  const auto created = create(admin_, "ci");
  EXPECT_EQ(created.key.role, Role::kAdmin);
  clock_.advance(120);
  ASSERT_TRUE(authenticate_api_key(*store_, created.secret, clock_.now()).has_value());
  auto keys = list_api_keys(*store_, caller_of(admin_), PageRequest{});
  ASSERT_TRUE(keys.has_value());
  ASSERT_EQ(keys->items.size(), 1u);
  EXPECT_EQ(keys->items[0].last_used_at, clock_.now());
}

TEST_F(ApiKeysTest, KeyRoleIsCappedByItsUsersRole) {
  const auto created = create(admin_, "ci");
  write([&](Repositories& repos) {
    User demoted = admin_;
    demoted.role = Role::kViewer;
    repos.accounts.update_user(demoted);
  });
  auto who = authenticate_api_key(*store_, created.secret, clock_.now());
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->role, Role::kViewer);
}

TEST_F(ApiKeysTest, OnlyAdminsManageKeysAndNamesAreChecked) {
  auto caller = caller_of(admin_);
  caller.role = Role::kOperator;  // an operator key of the admin asks for an admin key
  auto too_much = create_api_key(*store_, tokens_, caller, {"x", Role::kAdmin}, clock_.now());
  ASSERT_FALSE(too_much.has_value());
  EXPECT_EQ(too_much.error().code, ErrorCode::kForbidden);

  auto viewer = create_api_key(*store_, tokens_, caller_of(viewer_), {"x", {}}, clock_.now());
  ASSERT_FALSE(viewer.has_value());
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(list_api_keys(*store_, caller_of(viewer_), {}).error().code, ErrorCode::kForbidden);

  auto blank = create_api_key(*store_, tokens_, caller_of(admin_), {"  ", {}}, clock_.now());
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().code, ErrorCode::kValidation);
  EXPECT_EQ(blank.error().field, "name");
  EXPECT_EQ(tokens_.issued(), 0);
}

TEST_F(ApiKeysTest, RevokedKeyNoLongerAuthenticates) {
  const auto created = create(admin_, "ci");
  ASSERT_TRUE(revoke_api_key(*store_, caller_of(admin_), created.key.id, clock_.now()));
  EXPECT_EQ(audit_actions(ws_).front(), "api_key.delete");
  auto who = authenticate_api_key(*store_, created.secret, clock_.now());
  ASSERT_FALSE(who.has_value());
  EXPECT_EQ(who.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(revoke_api_key(*store_, caller_of(admin_), created.key.id, clock_.now()).error().code,
            ErrorCode::kNotFound);
}

TEST_F(ApiKeysTest, OtherWorkspacesKeysAreNotFound) {
  const auto created = create(outsider_, "globex");
  auto listed = list_api_keys(*store_, caller_of(admin_), PageRequest{});
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->items.empty());
  auto revoked = revoke_api_key(*store_, caller_of(admin_), created.key.id, clock_.now());
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(authenticate_api_key(*store_, created.secret, clock_.now()).has_value());
}

}  // namespace
}  // namespace phishdrill::service
