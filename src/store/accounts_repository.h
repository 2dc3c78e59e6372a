// Port: workspaces and their users (sign-in throttling and history are in
// sign_ins_repository.h, sessions and API keys in sessions_repository.h).
// Passwords arrive already hashed (argon2id): nothing here ever sees a clear
// password. An email is unique across workspaces (a constraint). Used only
// inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/user.h"
#include "store/page.h"

namespace phishdrill {

class AccountsRepository {
 public:
  virtual ~AccountsRepository() = default;

  virtual std::optional<Workspace> find_workspace_by_name(std::string_view name) = 0;
  virtual Workspace create_workspace(std::string_view name, std::int64_t now) = 0;
  virtual std::optional<Workspace> find_workspace(std::int64_t id) = 0;
  virtual std::int64_t count_users() = 0;

  // kConflict (field "email") when the email is taken in any workspace:
  // logins are by email alone.
  virtual Result<User> create_user(const User& user, std::string_view password_hash) = 0;
  virtual std::optional<UserCredentials> find_credentials(std::string_view email) = 0;
  virtual std::optional<User> find_user(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<User> list_users(std::int64_t workspace_id, PageRequest page) = 0;
  virtual void update_user(const User& user) = 0;  // name, role, must_change_password
  virtual void set_password(std::int64_t user_id, std::string_view password_hash,
                            bool must_change) = 0;
  // Deletes the user with their sessions, API keys and sign-in history.
  virtual bool delete_user(std::int64_t workspace_id, std::int64_t id) = 0;
};

}  // namespace phishdrill
