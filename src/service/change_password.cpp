#include "service/change_password.h"

#include <fmt/format.h>

#include <optional>

#include "crypto/sodium.h"
#include "service/audit.h"
#include "service/passwords.h"

namespace phishdrill::service {
namespace {

// Checks the current password under the throttle; audits a failure.
Result<void> check_current_password(SignInContext& context, const Caller& caller, const User& user,
                                    const std::string& password, std::int64_t now) {
  const auto& limits = context.limits;
  auto& throttle = context.throttle;
  const std::string ip_key = "ip:" + caller.ip;
  const std::string user_key = fmt::format("password:{}", user.id);
  if (int wait = throttle.reserve(ip_key, now, limits.ip_max_failures, limits.lockout_seconds);
      wait > 0) {
    return refuse_locked(wait, "password checks");
  }
  if (int wait = throttle.reserve(user_key, now, limits.login_max_failures, limits.lockout_seconds);
      wait > 0) {
    throttle.refund(ip_key);
    return refuse_locked(wait, "password checks");
  }
  std::optional<UserCredentials> credentials;
  PD_TRY(context.store.read([&](Repositories& repos) -> Result<void> {
    credentials = repos.accounts.find_credentials(user.email);
    return {};
  }));
  if (!credentials || !crypto::verify_password(credentials->password_hash, password)) {
    throttle.settle_failure(ip_key, now, limits.ip_max_failures, limits.lockout_seconds);
    const bool locked =
        throttle.settle_failure(user_key, now, limits.login_max_failures, limits.lockout_seconds);
    PD_TRY(context.store.write([&](Repositories& repos) -> Result<void> {
      audit(repos, caller, now,
            locked ? "user.password_change_locked" : "user.password_change_failed", "user",
            user.id);
      return {};
    }));
    return fail(ErrorCode::kValidation, "the current password is wrong", "current_password");
  }
  throttle.refund(ip_key);
  throttle.clear(user_key);
  return {};
}

}  // namespace

Result<std::string> change_password(SignInContext& context, const Caller& caller, const User& user,
                                    const PasswordChange& change, std::int64_t now) {
  PD_TRY(check_current_password(context, caller, user, change.current_password, now));
  if (change.current_password == change.new_password) {
    return fail(ErrorCode::kValidation, "choose a password different from the current one",
                "new_password");
  }
  const std::string hash =
      PD_TRY(hash_new_password(change.new_password, user.email, "new_password"));
  std::string token;
  PD_TRY(context.store.write([&](Repositories& repos) -> Result<void> {
    repos.accounts.set_password(user.id, hash, false);
    repos.sessions.delete_sessions_of(user.id);  // sign out everywhere
    repos.sign_ins.forget_sign_ins(user.id);
    repos.sign_ins.remember_sign_in(user.id, caller.ip, now);
    if (change.new_session) {
      User changed = user;
      changed.must_change_password = false;
      token = start_session(repos, context.tokens, changed, now, context.lifetime);
    }
    audit(repos, caller, now, "user.password_change", "user", user.id, {{"sessions_ended", true}});
    return {};
  }));
  return token;
}

}  // namespace phishdrill::service
