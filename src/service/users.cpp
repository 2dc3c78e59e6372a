#include "service/users.h"

#include <boost/json.hpp>

#include "core/email_address.h"
#include "core/text_rules.h"
#include "service/audit.h"
#include "service/passwords.h"
#include "service/require_role.h"

namespace phishdrill::service {
namespace {

// Sets the user's new password and ends every way in the old one gave:
// sessions, remembered sign-in addresses and API keys (a holder of the
// account could have made keys for themselves). Returns the keys revoked.
Result<int> reset_password(Repositories& repos, User& user, const std::string& password) {
  const std::string hash = PD_TRY(hash_new_password(password, user.email, "password"));
  repos.accounts.set_password(user.id, hash, true);
  repos.sessions.delete_sessions_of(user.id);
  repos.sign_ins.forget_sign_ins(user.id);
  user.must_change_password = true;
  return repos.sessions.delete_api_keys_of(user.id);
}

// Applies `changes` to `user` (as found); returns the audit details.
Result<boost::json::object> apply_changes(Repositories& repos, const Caller& caller, User& user,
                                          const UserChanges& changes, UpdatedUser& updated) {
  user.name = trim(changes.name.value_or(user.name));
  PD_TRY(check_line(user.name, "name", 200, false));
  const Role role = changes.role.value_or(user.role);
  if (user.id == caller.user_id && role != user.role) {
    return fail(ErrorCode::kValidation, "you cannot change your own role", "role");
  }
  user.role = role;
  boost::json::object details{{"role", role_name(user.role)}};
  if (!changes.password) return details;
  if (user.id == caller.user_id) {
    return fail(ErrorCode::kValidation, "change your own password with POST /api/v1/me/password",
                "password");
  }
  const int revoked = PD_TRY(reset_password(repos, user, *changes.password));
  updated.api_keys_revoked = revoked;
  details["password_reset"] = true;
  details["sessions_ended"] = true;
  details["api_keys_revoked"] = revoked;
  return details;
}

}  // namespace

Result<Page<User>> list_users(Store& store, const Caller& caller, PageRequest page) {
  PD_TRY(require_role(caller, Role::kAdmin));
  Page<User> users;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    users = repos.accounts.list_users(caller.workspace_id, page);
    return {};
  }));
  return users;
}

Result<User> get_user(Store& store, const Caller& caller, std::int64_t id) {
  PD_TRY(require_role(caller, Role::kAdmin));
  std::optional<User> user;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    user = repos.accounts.find_user(caller.workspace_id, id);
    return {};
  }));
  if (!user) return not_found();
  return std::move(*user);
}

Result<User> create_user(Store& store, const Caller& caller, const NewUser& request,
                         std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  User user;
  user.email = normalize_email(request.email);
  if (!is_valid_email(user.email)) {
    return fail(ErrorCode::kValidation, "email is not a valid email address", "email");
  }
  user.name = trim(request.name);
  PD_TRY(check_line(user.name, "name", 200, false));
  user.role = request.role;
  const std::string hash = PD_TRY(hash_new_password(request.password, user.email, "password"));
  user.workspace_id = caller.workspace_id;
  user.must_change_password = true;
  user.created_at = now;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    user = PD_TRY(repos.accounts.create_user(user, hash));
    audit(repos, caller, now, "user.create", "user", user.id,
          {{"email", user.email}, {"role", role_name(user.role)}});
    return {};
  }));
  return user;
}

Result<UpdatedUser> update_user(Store& store, const Caller& caller, std::int64_t id,
                                const UserChanges& changes, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  UpdatedUser updated;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    auto user = repos.accounts.find_user(caller.workspace_id, id);
    if (!user) return not_found();
    const auto details = PD_TRY(apply_changes(repos, caller, *user, changes, updated));
    repos.accounts.update_user(*user);
    audit(repos, caller, now, "user.update", "user", user->id, details);
    updated.user = std::move(*user);
    return {};
  }));
  return updated;
}

Result<void> delete_user(Store& store, const Caller& caller, std::int64_t id, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  if (id == caller.user_id) {
    return fail(ErrorCode::kValidation, "you cannot delete yourself", "id");
  }
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.accounts.delete_user(caller.workspace_id, id)) return not_found();
    audit(repos, caller, now, "user.delete", "user", id);
    return {};
  });
}

}  // namespace phishdrill::service
