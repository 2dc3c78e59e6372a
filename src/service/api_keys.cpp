#include "service/api_keys.h"

#include "core/text_rules.h"
#include "crypto/sodium.h"
#include "service/audit.h"
#include "service/require_role.h"

namespace phishdrill::service {

Result<CreatedApiKey> create_api_key(Store& store, const TokenSource& tokens, const Caller& caller,
                                     const NewApiKey& request, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  ApiKey key;
  key.name = trim(request.name);
  PD_TRY(check_line(key.name, "name", 200, true));
  key.role = request.role.value_or(caller.role);
  if (!has_role(caller.role, key.role)) {
    return fail(ErrorCode::kValidation, "a key cannot have more privilege than you", "role");
  }
  CreatedApiKey created{{}, "pd_" + tokens.token(32)};
  key.prefix = created.secret.substr(0, 10);
  key.workspace_id = caller.workspace_id;
  key.user_id = caller.user_id;
  key.created_at = now;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    created.key = repos.sessions.create_api_key(key, crypto::hash_token(created.secret));
    audit(repos, caller, now, "api_key.create", "api_key", created.key.id,
          {{"name", key.name}, {"role", role_name(key.role)}});
    return {};
  }));
  return created;
}

Result<Page<ApiKey>> list_api_keys(Store& store, const Caller& caller, PageRequest page) {
  PD_TRY(require_role(caller, Role::kAdmin));
  Page<ApiKey> keys;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    keys = repos.sessions.list_api_keys(caller.workspace_id, page);
    return {};
  }));
  return keys;
}

Result<void> revoke_api_key(Store& store, const Caller& caller, std::int64_t id, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.sessions.delete_api_key(caller.workspace_id, id)) {
      return not_found();
    }
    audit(repos, caller, now, "api_key.delete", "api_key", id);
    return {};
  });
}

Result<Identity> authenticate_api_key(Store& store, std::string_view secret, std::int64_t now) {
  const std::string hash = crypto::hash_token(secret);
  std::optional<Identity> identity;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    auto key = repos.sessions.find_api_key(hash);
    if (!key) return {};
    auto user = repos.accounts.find_user(key->workspace_id, key->user_id);
    if (!user) return {};
    if (now - key->last_used_at >= 60) repos.sessions.touch_api_key(key->id, now);
    const Role role = has_role(user->role, key->role) ? key->role : user->role;
    identity = Identity{*user, role, Actor{"api_key", key->id, key->name}};
    return {};
  }));
  if (!identity) return fail(ErrorCode::kUnauthorized, "the API key is not valid");
  return std::move(*identity);
}

}  // namespace phishdrill::service
