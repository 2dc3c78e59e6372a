// Users (service/users.h): admins create, update, reset and delete the people
// of their own workspace; nobody changes their own role or deletes
// themselves; a reset ends sessions and revokes API keys.
#include "service/users.h"

#include <gtest/gtest.h>

#include <string>

#include "accounts_fixture.h"
#include "service/api_keys.h"
#include "service/sessions.h"

namespace phishdrill::service {
namespace {

constexpr const char* kNewPassword = "a-brand-new-passphrase";

UserChanges changes(std::optional<std::string> name, std::optional<Role> role,
                    std::optional<std::string> password = {}) {
  UserChanges result;
  result.name = std::move(name);
  result.role = role;
  result.password = std::move(password);
  return result;
}

class UsersTest : public testing_support::AccountsFixture {
 protected:
  Result<User> create(const NewUser& user) {
    return create_user(*store_, caller_of(admin_), user, clock_.now());
  }
  Result<UpdatedUser> update(std::int64_t id, const UserChanges& changes, const User& by = User{}) {
    return update_user(*store_, caller_of(by.id ? by : admin_), id, changes, clock_.now());
  }
};

TEST_F(UsersTest, CreatedUserMustChangeTheirPassword) {
  auto created = create({" New@ACME.test ", " Ada ", Role::kOperator, kNewPassword});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_EQ(created->email, "new@acme.test");
  EXPECT_EQ(created->name, "Ada");
  EXPECT_EQ(created->workspace_id, ws_);
  EXPECT_TRUE(created->must_change_password);
  EXPECT_EQ(audit_actions(ws_).front(), "user.create");
  auto found = get_user(*store_, caller_of(admin_), created->id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->role, Role::kOperator);
}

TEST_F(UsersTest, CreateRefusesBadInput) {
  auto bad_email = create({"not-an-email", "", Role::kViewer, kNewPassword});
  EXPECT_EQ(bad_email.error().field, "email");
  auto short_password = create({"new@acme.test", "", Role::kViewer, "short"});
  EXPECT_EQ(short_password.error().code, ErrorCode::kValidation);
  EXPECT_EQ(short_password.error().field, "password");
  auto email_password =
      create({"long.address@acme.test", "", Role::kViewer, "Long.Address@acme.test"});
  EXPECT_EQ(email_password.error().field, "password");
  auto taken = create({"boss@globex.test", "", Role::kViewer, kNewPassword});
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
}

TEST_F(UsersTest, OnlyAdminsManageUsers) {
  auto by_viewer = create_user(*store_, caller_of(viewer_),
                               {"new@acme.test", "", Role::kViewer, kNewPassword}, clock_.now());
  EXPECT_EQ(by_viewer.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(list_users(*store_, caller_of(viewer_), {}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(update(admin_.id, changes({}, Role::kViewer), viewer_).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(delete_user(*store_, caller_of(viewer_), admin_.id, clock_.now()).error().code,
            ErrorCode::kForbidden);
}

TEST_F(UsersTest, OtherWorkspacesUsersAreNotFound) {
  auto listed = list_users(*store_, caller_of(admin_), {});
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(get_user(*store_, caller_of(admin_), outsider_.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(update(outsider_.id, changes("x", {})).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(delete_user(*store_, caller_of(admin_), outsider_.id, clock_.now()).error().code,
            ErrorCode::kNotFound);
}

TEST_F(UsersTest, UpdateChangesNameAndRoleButNotOnesOwnRole) {
  auto updated = update(viewer_.id, changes(" Vera ", Role::kOperator));
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->user.name, "Vera");
  EXPECT_EQ(updated->user.role, Role::kOperator);
  EXPECT_FALSE(updated->api_keys_revoked);
  EXPECT_EQ(audit_actions(ws_).front(), "user.update");

  auto own = update(admin_.id, changes({}, Role::kViewer));
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().code, ErrorCode::kValidation);
  EXPECT_EQ(own.error().field, "role");
  EXPECT_TRUE(update(admin_.id, changes("Me", Role::kAdmin)).has_value());
}

TEST_F(UsersTest, PasswordResetEndsSessionsAndRevokesKeys) {
  const std::string secret = "pd_the-viewers-own-key-0123456789abcdef";
  std::string session;
  write([&](Repositories& repos) {
    repos.sessions.create_api_key(ApiKey{0, ws_, viewer_.id, "k", Role::kViewer, "pd_the-vi", 0, 0},
                                  crypto::hash_token(secret));
    session = start_session(repos, tokens_, viewer_, clock_.now(), SessionLifetime{});
  });
  auto reset = update(viewer_.id, changes({}, {}, kNewPassword));
  ASSERT_TRUE(reset.has_value()) << reset.error().message;
  EXPECT_EQ(reset->api_keys_revoked, 1);
  EXPECT_TRUE(reset->user.must_change_password);
  EXPECT_FALSE(authenticate_session(*store_, session, clock_.now(), SessionLifetime{}));
  EXPECT_FALSE(authenticate_api_key(*store_, secret, clock_.now()));
  read([&](Repositories& repos) {
    auto credentials = repos.accounts.find_credentials(viewer_.email);
    ASSERT_TRUE(credentials.has_value());
    EXPECT_TRUE(crypto::verify_password(credentials->password_hash, kNewPassword));
  });

  auto own = update(admin_.id, changes({}, {}, kNewPassword));
  EXPECT_EQ(own.error().field, "password");
  auto weak = update(viewer_.id, changes({}, {}, "short"));
  EXPECT_EQ(weak.error().field, "password");
}

TEST_F(UsersTest, DeleteRemovesTheUserButNotOneself) {
  ASSERT_TRUE(delete_user(*store_, caller_of(admin_), viewer_.id, clock_.now()).has_value());
  EXPECT_EQ(audit_actions(ws_).front(), "user.delete");
  EXPECT_EQ(get_user(*store_, caller_of(admin_), viewer_.id).error().code, ErrorCode::kNotFound);
  auto self = delete_user(*store_, caller_of(admin_), admin_.id, clock_.now());
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kValidation);
  EXPECT_EQ(self.error().field, "id");
}

}  // namespace
}  // namespace phishdrill::service
