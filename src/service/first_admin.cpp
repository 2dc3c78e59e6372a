#include "service/first_admin.h"

#include <optional>

#include "core/email_address.h"
#include "core/user.h"
#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

bool is_api_key_format(std::string_view key) {
  if (!key.starts_with("pd_") || key.size() < 3 + 32 || key.size() > 200) return false;
  for (const char c : key.substr(3)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<std::string> check_password(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return fail(ErrorCode::kValidation, "the password must have at least 12 characters");
  }
  return crypto::hash_password(password);
}

// Creates the user and audits it as done by the system actor `label`.
Result<User> create_account(Repositories& repos, User user, const std::string& hash,
                            std::string_view label) {
  user = PD_TRY(repos.accounts.create_user(user, hash));
  repos.audit.append(AuditEntry{0, user.workspace_id, user.created_at,
                                Actor{"system", 0, std::string(label)}, "user.create", "user",
                                user.id, "", "{}"});
  return user;
}

// The admin's configured API key, stored as its hash.
void install_api_key(Repositories& repos, const User& admin, const std::string& secret) {
  ApiKey key;
  key.workspace_id = admin.workspace_id;
  key.user_id = admin.id;
  key.name = "initial";
  key.role = Role::kAdmin;
  key.prefix = secret.substr(0, 10);
  key.created_at = admin.created_at;
  repos.sessions.create_api_key(key, crypto::hash_token(secret));
}

Workspace find_or_create_workspace(Repositories& repos, const std::string& name, std::int64_t now) {
  std::optional<Workspace> workspace =
      name.empty() ? repos.accounts.find_workspace(1) : repos.accounts.find_workspace_by_name(name);
  if (workspace) return *workspace;
  return repos.accounts.create_workspace(name.empty() ? "Default" : name, now);
}

// Nodes starting together on an empty shared store race to create the first
// admin; the losers' writes fail on the workspace's or email's uniqueness.
bool someone_exists(Store& store) {
  bool exists = false;
  (void)store.read([&](Repositories& repos) -> Result<void> {
    exists = repos.accounts.count_users() > 0;
    return {};
  });
  return exists;
}

}  // namespace

Result<FirstAdminResult> create_first_admin(Store& store, const TokenSource& tokens,
                                            const FirstAdmin& admin, std::int64_t now) {
  const std::string email = normalize_email(admin.email);
  if (!is_valid_email(email)) {
    return fail(ErrorCode::kValidation, "PHISHDRILL_INITIAL_ADMIN_EMAIL is not a valid address");
  }
  if (!admin.api_key.empty() && !is_api_key_format(admin.api_key)) {
    return fail(ErrorCode::kValidation,
                "PHISHDRILL_INITIAL_API_KEY must be pd_ followed by at least 32 characters of "
                "A-Z a-z 0-9 - _");
  }
  const bool generate = admin.password.empty();
  const std::string password = generate ? tokens.token(18) : admin.password;
  const std::string hash = PD_TRY(check_password(password));
  FirstAdminResult result;
  auto written = store.write([&](Repositories& repos) -> Result<void> {
    if (repos.accounts.count_users() > 0) return {};
    User user;
    user.workspace_id = repos.accounts.create_workspace("Default", now).id;
    user.email = email;
    user.name = "Administrator";
    user.role = Role::kAdmin;
    user.must_change_password = generate;
    user.created_at = now;
    const User created = PD_TRY(create_account(repos, user, hash, "bootstrap"));
    if (!admin.api_key.empty()) install_api_key(repos, created, admin.api_key);
    result = {true, email, generate ? password : std::string()};
    return {};
  });
  if (!written && someone_exists(store)) return FirstAdminResult{};  // another node was first
  PD_TRY(std::move(written));
  return result;
}

Result<std::string> add_cli_user(Store& store, const TokenSource& tokens, const CliUser& input,
                                 std::int64_t now) {
  const std::string email = normalize_email(input.email);
  if (!is_valid_email(email)) return fail(ErrorCode::kValidation, "not a valid email address");
  auto role = parse_role(input.role);
  if (!role) return fail(ErrorCode::kValidation, "role must be admin, operator or viewer");
  const bool generate = input.password.empty();
  const std::string password = generate ? tokens.token(18) : input.password;
  const std::string hash = PD_TRY(check_password(password));
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    User user;
    user.workspace_id = find_or_create_workspace(repos, input.workspace, now).id;
    user.email = email;
    user.name = input.name;
    user.role = *role;
    user.must_change_password = generate;
    user.created_at = now;
    PD_TRY(create_account(repos, user, hash, "cli"));
    return {};
  }));
  return generate ? password : std::string();
}

}  // namespace phishdrill::service
