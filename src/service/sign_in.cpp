#include "service/sign_in.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "core/email_address.h"
#include "core/log_text.h"
#include "crypto/sodium.h"
#include "service/audit.h"

namespace phishdrill::service {
namespace {

// The throttle's keys for one attempt.
struct Keys {
  std::string ip;     // the client address
  std::string pair;   // the account (or unknown email) from that address
  std::string email;  // an email nobody has
};

// What the store knows before the password is checked.
struct Account {
  std::optional<UserCredentials> credentials;  // none for an unknown email
  bool known_address = false;                  // the user has signed in from here before
};

Caller user_caller(const User& user, const std::string& ip) {
  return {user.workspace_id, user.id, user.role, Actor{"user", user.id, user.email}, ip};
}

// A hash to verify against when the email is unknown, so that unknown and
// known accounts take the same time to refuse. Never lets anyone in: a
// sign-in also needs an account.
const std::string& dummy_hash() {
  static const std::string hash =
      crypto::hash_password("an unknown account has no password").value_or("");
  return hash;
}

std::unexpected<Error> wrong_credentials() {
  return fail(ErrorCode::kInvalidCredentials, "wrong email or password");
}

// Counts the attempt against the account (when the address is new to it)
// and returns the seconds the account stays locked, or 0.
Result<int> begin_attempt(SignInContext& context, const std::string& address,
                          const SignInAttempt& attempt, std::int64_t now, Account& account) {
  int wait = 0;
  const auto& limits = context.limits;
  PD_TRY(context.store.write([&](Repositories& repos) -> Result<void> {
    account.credentials = repos.accounts.find_credentials(address);
    if (!account.credentials) return {};
    const std::int64_t user_id = account.credentials->user.id;
    account.known_address = repos.sign_ins.has_signed_in_from(user_id, attempt.ip);
    if (!account.known_address) {
      wait = repos.sign_ins.begin_login_attempt(user_id, now, limits.account_max_failures,
                                                limits.lockout_seconds);
    }
    return {};
  }));
  return wait;
}

Result<SignedIn> record_failure(SignInContext& context, const Keys& keys, const Account& account,
                                const SignInAttempt& attempt, std::int64_t now) {
  const auto& limits = context.limits;
  auto& throttle = context.throttle;
  throttle.settle_failure(keys.ip, now, limits.ip_max_failures, limits.lockout_seconds);
  const bool address_locked =
      throttle.settle_failure(keys.pair, now, limits.login_max_failures, limits.lockout_seconds);
  spdlog::warn("event=login_failed ip={}", log_value(attempt.ip));
  if (!account.credentials) {
    throttle.settle_failure(keys.email, now, limits.account_max_failures, limits.lockout_seconds);
    return wrong_credentials();
  }
  const User& user = account.credentials->user;
  PD_TRY(context.store.write([&](Repositories& repos) -> Result<void> {
    const bool account_locked =
        !account.known_address &&
        repos.sign_ins.settle_failed_login(user.id, now, limits.account_max_failures,
                                           limits.lockout_seconds);
    const Caller who = user_caller(user, attempt.ip);
    if (account_locked || address_locked) {
      audit(repos, who, now, "session.locked", "user", user.id,
            {{"scope", account_locked ? "account" : "address"}});
    } else {
      audit(repos, who, now, "session.login_failed", "user", user.id);
    }
    return {};
  }));
  return wrong_credentials();
}

Result<SignedIn> record_success(SignInContext& context, const Account& account,
                                const SignInAttempt& attempt, std::int64_t now) {
  SignedIn signed_in{account.credentials->user, {}};
  const User& user = signed_in.user;
  PD_TRY(context.store.write([&](Repositories& repos) -> Result<void> {
    if (!account.known_address) repos.sign_ins.refund_login_attempt(user.id);
    repos.sign_ins.remember_sign_in(user.id, attempt.ip, now);
    signed_in.session_token = start_session(repos, context.tokens, user, now, context.lifetime);
    audit(repos, user_caller(user, attempt.ip), now, "session.login", "user", user.id);
    return {};
  }));
  return signed_in;
}

}  // namespace

Result<SignedIn> sign_in(SignInContext& context, const SignInAttempt& attempt, std::int64_t now) {
  const std::string address = normalize_email(attempt.email);
  const Keys keys{"ip:" + attempt.ip, "login:" + address + "|" + attempt.ip, "email:" + address};
  const auto& limits = context.limits;
  auto& throttle = context.throttle;
  if (int wait = throttle.reserve(keys.ip, now, limits.ip_max_failures, limits.lockout_seconds);
      wait > 0) {
    return refuse_locked(wait, "logins");
  }
  if (int wait =
          throttle.reserve(keys.pair, now, limits.login_max_failures, limits.lockout_seconds);
      wait > 0) {
    throttle.refund(keys.ip);
    return refuse_locked(wait, "logins");
  }
  Account account;
  int account_wait = PD_TRY(begin_attempt(context, address, attempt, now, account));
  if (!account.credentials) {
    account_wait =
        throttle.reserve(keys.email, now, limits.account_max_failures, limits.lockout_seconds);
  }
  if (account_wait > 0) {
    throttle.refund(keys.ip);
    throttle.refund(keys.pair);
    return refuse_locked(account_wait, "logins");
  }
  const std::string& hash = account.credentials ? account.credentials->password_hash : dummy_hash();
  const bool valid = crypto::verify_password(hash, attempt.password) && account.credentials;
  if (!valid) return record_failure(context, keys, account, attempt, now);
  // The address's own count is kept: a valid sign-in of one's own must not
  // clear failed guesses at other accounts from the same address.
  throttle.refund(keys.ip);
  throttle.clear(keys.pair);
  return record_success(context, account, attempt, now);
}

}  // namespace phishdrill::service
