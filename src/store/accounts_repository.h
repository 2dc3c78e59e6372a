// Port: workspaces, users, sessions and API keys. Secrets arrive already
// hashed (passwords by argon2id, tokens by SHA-256): nothing here ever sees
// a clear password or token. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/user.h"
#include "store/page.h"

namespace phishdrill {

struct SessionRecord {
  std::int64_t user_id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

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
  virtual void set_login_failures(std::int64_t user_id, int failures,
                                  std::int64_t locked_until) = 0;
  // Counts a login attempt against the account before the password is
  // checked (atomically, so concurrent guesses all count). Returns the
  // seconds the account stays locked (the attempt is refused), or 0.
  virtual int begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
                                  int lockout_seconds) = 0;
  // After a wrong password: locks the account once its counted attempts
  // reach `max_failures`. Returns true when it locked it.
  virtual bool settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
                                   int lockout_seconds) = 0;
  // A counted attempt turned out right: it no longer counts.
  virtual void refund_login_attempt(std::int64_t user_id) = 0;
  // Addresses the user has signed in from (the most recent 20 are kept).
  virtual bool has_signed_in_from(std::int64_t user_id, std::string_view address) = 0;
  virtual void remember_sign_in(std::int64_t user_id, std::string_view address,
                                std::int64_t now) = 0;
  virtual void forget_sign_ins(std::int64_t user_id) = 0;
  virtual bool delete_user(std::int64_t workspace_id, std::int64_t id) = 0;

  virtual void create_session(std::string_view token_hash, const User& user, std::int64_t now) = 0;
  virtual std::optional<SessionRecord> find_session(std::string_view token_hash) = 0;
  virtual void touch_session(std::string_view token_hash, std::int64_t now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;
  virtual void delete_sessions_of(std::int64_t user_id) = 0;
  // Sessions last seen before `idle_before` or created before `created_before`.
  virtual void delete_expired_sessions(std::int64_t idle_before, std::int64_t created_before) = 0;

  virtual ApiKey create_api_key(const ApiKey& key, std::string_view key_hash) = 0;
  virtual std::optional<ApiKey> find_api_key(std::string_view key_hash) = 0;
  virtual Page<ApiKey> list_api_keys(std::int64_t workspace_id, PageRequest page) = 0;
  virtual bool delete_api_key(std::int64_t workspace_id, std::int64_t id) = 0;
  // Revokes every key of the user; returns how many there were.
  virtual int delete_api_keys_of(std::int64_t user_id) = 0;
  virtual void touch_api_key(std::int64_t id, std::int64_t now) = 0;
};

}  // namespace phishdrill
