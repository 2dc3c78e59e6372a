#include <string>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

void SqliteSignIns::set_login_failures(std::int64_t user_id, int failures,
                                       std::int64_t locked_until) {
  db_.prepare("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")
      .bind(1, failures)
      .bind(2, locked_until)
      .bind(3, user_id)
      .run();
}

int SqliteSignIns::begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
                                       int lockout_seconds) {
  auto stmt = db_.prepare(
      "UPDATE users SET failed_logins = CASE WHEN locked_until > ?2 THEN failed_logins "
      "ELSE failed_logins + 1 END WHERE id = ?1 RETURNING failed_logins, locked_until");
  stmt.bind(1, user_id).bind(2, now);
  if (!stmt.step()) return 0;
  const auto failures = stmt.int64(0);
  const auto locked_until = stmt.int64(1);
  stmt.reset();
  if (locked_until > now) return static_cast<int>(locked_until - now);
  if (failures > max_failures) {
    set_login_failures(user_id, 0, now + lockout_seconds);
    return lockout_seconds;
  }
  return 0;
}

bool SqliteSignIns::settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
                                        int lockout_seconds) {
  auto stmt = db_.prepare("SELECT failed_logins, locked_until FROM users WHERE id = ?");
  stmt.bind(1, user_id);
  if (!stmt.step()) return false;
  const auto failures = stmt.int64(0);
  const auto locked_until = stmt.int64(1);
  stmt.reset();
  if (locked_until > now || failures < max_failures) return false;
  set_login_failures(user_id, 0, now + lockout_seconds);
  return true;
}

void SqliteSignIns::refund_login_attempt(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_logins = MAX(failed_logins - 1, 0) WHERE id = ?")
      .bind(1, user_id)
      .run();
}

bool SqliteSignIns::has_signed_in_from(std::int64_t user_id, std::string_view address) {
  auto stmt = db_.prepare("SELECT 1 FROM sign_in_addresses WHERE user_id = ? AND address = ?");
  stmt.bind(1, user_id).bind(2, address);
  return stmt.step();
}

void SqliteSignIns::remember_sign_in(std::int64_t user_id, std::string_view address,
                                     std::int64_t now) {
  db_.prepare(
         "INSERT INTO sign_in_addresses (user_id, address, last_at) VALUES (?, ?, ?) "
         "ON CONFLICT (user_id, address) DO UPDATE SET last_at = excluded.last_at")
      .bind(1, user_id)
      .bind(2, address)
      .bind(3, now)
      .run();
  db_.prepare(
         "DELETE FROM sign_in_addresses WHERE user_id = ?1 AND address NOT IN "
         "(SELECT address FROM sign_in_addresses WHERE user_id = ?1 "
         "ORDER BY last_at DESC, address LIMIT 20)")
      .bind(1, user_id)
      .run();
}

void SqliteSignIns::forget_sign_ins(std::int64_t user_id) {
  db_.prepare("DELETE FROM sign_in_addresses WHERE user_id = ?").bind(1, user_id).run();
}

}  // namespace phishdrill::sqlite
