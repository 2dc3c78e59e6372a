#include "app/bootstrap_admin.h"

#include "core/email_address.h"
#include "crypto/sodium.h"

namespace phishdrill::app {
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

}  // namespace

Result<BootstrapResult> bootstrap_admin(Store& store, const Config& config, const Clock& clock) {
  BootstrapResult result;
  const std::string email = normalize_email(config.initial_admin_email);
  if (!is_valid_email(email)) {
    return fail(ErrorCode::kValidation, "PHISHDRILL_INITIAL_ADMIN_EMAIL is not a valid address");
  }
  if (!config.initial_api_key.empty() && !is_api_key_format(config.initial_api_key)) {
    return fail(ErrorCode::kValidation,
                "PHISHDRILL_INITIAL_API_KEY must be pd_ followed by at least 32 characters of "
                "A-Z a-z 0-9 - _");
  }
  std::string password = config.initial_admin_password;
  const bool generate = password.empty();
  if (generate) password = crypto::random_token(18);
  auto hash = check_password(password);
  if (!hash) return std::unexpected(hash.error());
  const auto now = clock.now();
  auto written = store.write([&](Repositories& repos) -> Result<void> {
    if (repos.accounts.count_users() > 0) return {};
    const Workspace workspace = repos.accounts.create_workspace("Default", now);
    User user;
    user.workspace_id = workspace.id;
    user.email = email;
    user.name = "Administrator";
    user.role = Role::kAdmin;
    user.must_change_password = generate;
    user.created_at = now;
    auto created = repos.accounts.create_user(user, *hash);
    if (!created) return std::unexpected(created.error());
    if (!config.initial_api_key.empty()) {
      ApiKey key;
      key.workspace_id = workspace.id;
      key.user_id = created->id;
      key.name = "initial";
      key.role = Role::kAdmin;
      key.prefix = config.initial_api_key.substr(0, 10);
      key.created_at = now;
      repos.sessions.create_api_key(key, crypto::hash_token(config.initial_api_key));
    }
    repos.audit.append(AuditEntry{0, workspace.id, now, Actor{"system", 0, "bootstrap"},
                                  "user.create", "user", created->id, "", "{}"});
    result.created = true;
    result.email = email;
    if (generate) result.generated_password = password;
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return result;
}

Result<std::string> add_user(Store& store, const NewUser& input, const Clock& clock) {
  const std::string email = normalize_email(input.email);
  if (!is_valid_email(email)) return fail(ErrorCode::kValidation, "not a valid email address");
  auto role = parse_role(input.role);
  if (!role) return fail(ErrorCode::kValidation, "role must be admin, operator or viewer");
  std::string password = input.password.empty() ? crypto::random_token(18) : input.password;
  auto hash = check_password(password);
  if (!hash) return std::unexpected(hash.error());
  const auto now = clock.now();
  auto written = store.write([&](Repositories& repos) -> Result<void> {
    std::optional<Workspace> workspace;
    if (input.workspace.empty()) {
      workspace = repos.accounts.find_workspace(1);
      if (!workspace) workspace = repos.accounts.create_workspace("Default", now);
    } else {
      workspace = repos.accounts.find_workspace_by_name(input.workspace);
      if (!workspace) workspace = repos.accounts.create_workspace(input.workspace, now);
    }
    User user;
    user.workspace_id = workspace->id;
    user.email = email;
    user.name = input.name;
    user.role = *role;
    user.must_change_password = input.password.empty();
    user.created_at = now;
    auto created = repos.accounts.create_user(user, *hash);
    if (!created) return std::unexpected(created.error());
    repos.audit.append(AuditEntry{0, workspace->id, now, Actor{"system", 0, "cli"}, "user.create",
                                  "user", created->id, "", "{}"});
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return input.password.empty() ? password : std::string();
}

}  // namespace phishdrill::app
