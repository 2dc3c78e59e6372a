#include <string>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kUserColumns =
    "id, workspace_id, email, name, role, must_change_password, created_at";

User read_user(const Statement& stmt, int first = 0) {
  User user;
  user.id = stmt.int64(first);
  user.workspace_id = stmt.int64(first + 1);
  user.email = stmt.text(first + 2);
  user.name = stmt.text(first + 3);
  user.role = parse_role(stmt.text(first + 4)).value_or(Role::kViewer);
  user.must_change_password = stmt.int64(first + 5) != 0;
  user.created_at = stmt.int64(first + 6);
  return user;
}

constexpr const char* kApiKeyColumns =
    "id, workspace_id, user_id, name, role, prefix, created_at, last_used_at";

ApiKey read_api_key(const Statement& stmt) {
  ApiKey key;
  key.id = stmt.int64(0);
  key.workspace_id = stmt.int64(1);
  key.user_id = stmt.int64(2);
  key.name = stmt.text(3);
  key.role = parse_role(stmt.text(4)).value_or(Role::kViewer);
  key.prefix = stmt.text(5);
  key.created_at = stmt.int64(6);
  key.last_used_at = stmt.int64(7);
  return key;
}

}  // namespace

std::optional<Workspace> SqliteAccounts::find_workspace_by_name(std::string_view name) {
  auto stmt = db_.prepare("SELECT id, name FROM workspaces WHERE name = ?");
  stmt.bind(1, name);
  if (!stmt.step()) return std::nullopt;
  return Workspace{stmt.int64(0), stmt.text(1)};
}

std::optional<Workspace> SqliteAccounts::find_workspace(std::int64_t id) {
  auto stmt = db_.prepare("SELECT id, name FROM workspaces WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return Workspace{stmt.int64(0), stmt.text(1)};
}

Workspace SqliteAccounts::create_workspace(std::string_view name, std::int64_t now) {
  db_.prepare("INSERT INTO workspaces (name, created_at) VALUES (?, ?)")
      .bind(1, name)
      .bind(2, now)
      .run();
  return Workspace{db_.last_insert_id(), std::string(name)};
}

std::int64_t SqliteAccounts::count_users() {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM users");
  stmt.step();
  return stmt.int64(0);
}

Result<User> SqliteAccounts::create_user(const User& user, std::string_view password_hash) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO users (workspace_id, email, name, role, password_hash, "
               "must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, user.workspace_id)
            .bind(2, user.email)
            .bind(3, user.name)
            .bind(4, role_name(user.role))
            .bind(5, password_hash)
            .bind(6, user.must_change_password ? 1 : 0)
            .bind(7, user.created_at)
            .run();
        User created = user;
        created.id = db_.last_insert_id();
        return created;
      },
      "email", "a user with this email already exists");
}

std::optional<UserCredentials> SqliteAccounts::find_credentials(std::string_view email) {
  auto stmt =
      db_.prepare(std::string("SELECT ") + kUserColumns +
                  ", password_hash, failed_logins, locked_until FROM users WHERE email = ?");
  stmt.bind(1, email);
  if (!stmt.step()) return std::nullopt;
  UserCredentials credentials;
  credentials.user = read_user(stmt);
  credentials.password_hash = stmt.text(7);
  credentials.failed_logins = static_cast<int>(stmt.int64(8));
  credentials.locked_until = stmt.int64(9);
  return credentials;
}

std::optional<User> SqliteAccounts::find_user(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kUserColumns +
                          " FROM users WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return read_user(stmt);
}

Page<User> SqliteAccounts::list_users(std::int64_t workspace_id, PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + kUserColumns +
                          " FROM users WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<User>(stmt, page.limit, [](const Statement& s) { return read_user(s); });
}

void SqliteAccounts::update_user(const User& user) {
  db_.prepare("UPDATE users SET name = ?, role = ?, must_change_password = ? WHERE id = ?")
      .bind(1, user.name)
      .bind(2, role_name(user.role))
      .bind(3, user.must_change_password ? 1 : 0)
      .bind(4, user.id)
      .run();
}

void SqliteAccounts::set_password(std::int64_t user_id, std::string_view password_hash,
                                  bool must_change) {
  db_.prepare(
         "UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, "
         "locked_until = 0 WHERE id = ?")
      .bind(1, password_hash)
      .bind(2, must_change ? 1 : 0)
      .bind(3, user_id)
      .run();
}

void SqliteAccounts::set_login_failures(std::int64_t user_id, int failures,
                                        std::int64_t locked_until) {
  db_.prepare("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?")
      .bind(1, failures)
      .bind(2, locked_until)
      .bind(3, user_id)
      .run();
}

int SqliteAccounts::begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
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

bool SqliteAccounts::settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
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

void SqliteAccounts::refund_login_attempt(std::int64_t user_id) {
  db_.prepare("UPDATE users SET failed_logins = MAX(failed_logins - 1, 0) WHERE id = ?")
      .bind(1, user_id)
      .run();
}

bool SqliteAccounts::has_signed_in_from(std::int64_t user_id, std::string_view address) {
  auto stmt = db_.prepare("SELECT 1 FROM sign_in_addresses WHERE user_id = ? AND address = ?");
  stmt.bind(1, user_id).bind(2, address);
  return stmt.step();
}

void SqliteAccounts::remember_sign_in(std::int64_t user_id, std::string_view address,
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

void SqliteAccounts::forget_sign_ins(std::int64_t user_id) {
  db_.prepare("DELETE FROM sign_in_addresses WHERE user_id = ?").bind(1, user_id).run();
}

bool SqliteAccounts::delete_user(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("DELETE FROM users WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

void SqliteAccounts::create_session(std::string_view token_hash, const User& user,
                                    std::int64_t now) {
  db_.prepare(
         "INSERT INTO sessions (token_hash, user_id, workspace_id, created_at, last_seen_at) "
         "VALUES (?, ?, ?, ?, ?)")
      .bind(1, token_hash)
      .bind(2, user.id)
      .bind(3, user.workspace_id)
      .bind(4, now)
      .bind(5, now)
      .run();
}

std::optional<SessionRecord> SqliteAccounts::find_session(std::string_view token_hash) {
  auto stmt = db_.prepare(
      "SELECT user_id, workspace_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?");
  stmt.bind(1, token_hash);
  if (!stmt.step()) return std::nullopt;
  return SessionRecord{stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3)};
}

void SqliteAccounts::touch_session(std::string_view token_hash, std::int64_t now) {
  db_.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
      .bind(1, now)
      .bind(2, token_hash)
      .run();
}

void SqliteAccounts::delete_session(std::string_view token_hash) {
  db_.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).run();
}

void SqliteAccounts::delete_sessions_of(std::int64_t user_id) {
  db_.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).run();
}

void SqliteAccounts::delete_expired_sessions(std::int64_t idle_before,
                                             std::int64_t created_before) {
  db_.prepare("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
      .bind(1, idle_before)
      .bind(2, created_before)
      .run();
}

ApiKey SqliteAccounts::create_api_key(const ApiKey& key, std::string_view key_hash) {
  db_.prepare(
         "INSERT INTO api_keys (workspace_id, user_id, name, role, prefix, key_hash, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, key.workspace_id)
      .bind(2, key.user_id)
      .bind(3, key.name)
      .bind(4, role_name(key.role))
      .bind(5, key.prefix)
      .bind(6, key_hash)
      .bind(7, key.created_at)
      .run();
  ApiKey created = key;
  created.id = db_.last_insert_id();
  return created;
}

std::optional<ApiKey> SqliteAccounts::find_api_key(std::string_view key_hash) {
  auto stmt =
      db_.prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE key_hash = ?");
  stmt.bind(1, key_hash);
  if (!stmt.step()) return std::nullopt;
  return read_api_key(stmt);
}

Page<ApiKey> SqliteAccounts::list_api_keys(std::int64_t workspace_id, PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + kApiKeyColumns +
                          " FROM api_keys WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<ApiKey>(stmt, page.limit, read_api_key);
}

bool SqliteAccounts::delete_api_key(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("DELETE FROM api_keys WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

int SqliteAccounts::delete_api_keys_of(std::int64_t user_id) {
  db_.prepare("DELETE FROM api_keys WHERE user_id = ?").bind(1, user_id).run();
  return static_cast<int>(db_.changes());
}

void SqliteAccounts::touch_api_key(std::int64_t id, std::int64_t now) {
  db_.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(1, now).bind(2, id).run();
}

}  // namespace phishdrill::sqlite
