#include "store/postgres/repositories.h"

namespace phishdrill::pg {

void PgSignIns::set_login_failures(std::int64_t user_id, int failures, std::int64_t locked_until) {
  db_.run("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3", failures,
          locked_until, user_id);
}

int PgSignIns::begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
                                   int lockout_seconds) {
  // One statement: concurrent attempts each take the row lock in turn, so
  // every guess counts.
  const auto rows = db_.run(
      "UPDATE users SET failed_logins = CASE WHEN locked_until > $2 THEN failed_logins "
      "ELSE failed_logins + 1 END WHERE id = $1 RETURNING failed_logins, locked_until",
      user_id, now);
  if (rows.empty()) return 0;
  const auto failures = rows.int64(0, 0);
  const auto locked_until = rows.int64(0, 1);
  if (locked_until > now) return static_cast<int>(locked_until - now);
  if (failures > max_failures) {
    set_login_failures(user_id, 0, now + lockout_seconds);
    return lockout_seconds;
  }
  return 0;
}

bool PgSignIns::settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
                                    int lockout_seconds) {
  // FOR UPDATE: two settling logins must not both read "below the limit".
  const auto rows =
      db_.run("SELECT failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE", user_id);
  if (rows.empty()) return false;
  const auto failures = rows.int64(0, 0);
  const auto locked_until = rows.int64(0, 1);
  if (locked_until > now || failures < max_failures) return false;
  set_login_failures(user_id, 0, now + lockout_seconds);
  return true;
}

void PgSignIns::refund_login_attempt(std::int64_t user_id) {
  db_.run("UPDATE users SET failed_logins = GREATEST(failed_logins - 1, 0) WHERE id = $1", user_id);
}

bool PgSignIns::has_signed_in_from(std::int64_t user_id, std::string_view address) {
  return !db_.run("SELECT 1 FROM sign_in_addresses WHERE user_id = $1 AND address = $2", user_id,
                  address)
              .empty();
}

void PgSignIns::remember_sign_in(std::int64_t user_id, std::string_view address, std::int64_t now) {
  db_.run(
      "INSERT INTO sign_in_addresses (user_id, address, last_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, address) DO UPDATE SET last_at = excluded.last_at",
      user_id, address, now);
  db_.run(
      "DELETE FROM sign_in_addresses WHERE user_id = $1 AND address NOT IN "
      "(SELECT address FROM sign_in_addresses WHERE user_id = $1 "
      "ORDER BY last_at DESC, address LIMIT 20)",
      user_id);
}

void PgSignIns::forget_sign_ins(std::int64_t user_id) {
  db_.run("DELETE FROM sign_in_addresses WHERE user_id = $1", user_id);
}

}  // namespace phishdrill::pg
