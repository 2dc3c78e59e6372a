// AccountsFixture: a store with two workspaces, "Acme" (an admin and a
// viewer, both with kPassword) and "Globex" (its own admin), the fake clock
// and tokens, and callers for the account services' tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "service/caller.h"
#include "store/store.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::testing_support {

inline constexpr const char* kPassword = "correct-horse-battery";
inline constexpr const char* kClientIp = "203.0.113.5";

// argon2id is slow: the one password every test uses is hashed once.
inline const std::string& password_hash() {
  static const std::string hash = crypto::hash_password(kPassword).value();
  return hash;
}

class AccountsFixture : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", clock_.now()).id;
      other_ws_ = repos.accounts.create_workspace("Globex", clock_.now()).id;
    });
    admin_ = add_user(ws_, "admin@acme.test", Role::kAdmin);
    viewer_ = add_user(ws_, "viewer@acme.test", Role::kViewer);
    outsider_ = add_user(other_ws_, "boss@globex.test", Role::kAdmin);
  }

  User add_user(std::int64_t ws, const std::string& email, Role role) {
    User user;
    user.workspace_id = ws;
    user.email = email;
    user.role = role;
    user.created_at = clock_.now();
    write([&](Repositories& repos) {
      auto created = repos.accounts.create_user(user, password_hash());
      ASSERT_TRUE(created.has_value()) << created.error().message;
      user = *created;
    });
    return user;
  }

  // `user` acting from kClientIp with their own role.
  static service::Caller caller_of(const User& user) {
    return {user.workspace_id, user.id, user.role, Actor{"user", user.id, user.email}, kClientIp};
  }

  // The workspace's audit actions, newest first.
  std::vector<std::string> audit_actions(std::int64_t ws) {
    std::vector<std::string> actions;
    read([&](Repositories& repos) {
      for (const auto& entry : repos.audit.list(ws, PageRequest{}).items) {
        actions.push_back(entry.action);
      }
    });
    return actions;
  }

  FakeClock clock_;
  FakeTokens tokens_;
  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
  User admin_;
  User viewer_;
  User outsider_;
};

}  // namespace phishdrill::testing_support
