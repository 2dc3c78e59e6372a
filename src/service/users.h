// The people of a workspace, managed by its admins: list, get, create (with
// a first password they must change at first sign-in), update (name, role,
// a password reset) and delete. Nobody changes their own role, resets their
// own password here (service/change_password.h) or deletes themselves
// (kValidation). A reset ends every way in the old password gave: sessions,
// remembered sign-in addresses and the user's API keys. kForbidden for
// callers who are not admins; a user of another workspace is kNotFound.
// Each change is audited. Each function opens its own transaction.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/user.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

Result<Page<User>> list_users(Store& store, const Caller& caller, PageRequest page);
Result<User> get_user(Store& store, const Caller& caller, std::int64_t id);

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kViewer;
  std::string password;
};

// kValidation for a bad email, name or password (field named); kConflict
// (field "email") when the email is taken in any workspace.
Result<User> create_user(Store& store, const Caller& caller, const NewUser& request,
                         std::int64_t now);

// What an update changes; absent fields stay as they are.
struct UserChanges {
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::string> password;  // a reset
};

struct UpdatedUser {
  User user;
  std::optional<int> api_keys_revoked;  // set when the password was reset
};

Result<UpdatedUser> update_user(Store& store, const Caller& caller, std::int64_t id,
                                const UserChanges& changes, std::int64_t now);

// Deletes the user with their sessions, API keys and sign-in history.
Result<void> delete_user(Store& store, const Caller& caller, std::int64_t id, std::int64_t now);

}  // namespace phishdrill::service
