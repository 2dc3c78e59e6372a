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

bool SqliteAccounts::delete_user(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("DELETE FROM users WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

}  // namespace phishdrill::sqlite
