#include <string>

#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kUserColumns =
    "id, workspace_id, email, name, role, must_change_password, created_at";

User read_user(const Row& row) {
  User user;
  user.id = row.int64(0);
  user.workspace_id = row.int64(1);
  user.email = row.text(2);
  user.name = row.text(3);
  user.role = parse_role(row.text(4)).value_or(Role::kViewer);
  user.must_change_password = row.boolean(5);
  user.created_at = row.int64(6);
  return user;
}

std::optional<Workspace> first_workspace(const Rows& rows) {
  if (rows.empty()) return std::nullopt;
  return Workspace{rows.int64(0, 0), rows.text(0, 1)};
}

}  // namespace

std::optional<Workspace> PgAccounts::find_workspace_by_name(std::string_view name) {
  return first_workspace(db_.run("SELECT id, name FROM workspaces WHERE name = $1", name));
}

std::optional<Workspace> PgAccounts::find_workspace(std::int64_t id) {
  return first_workspace(db_.run("SELECT id, name FROM workspaces WHERE id = $1", id));
}

Workspace PgAccounts::create_workspace(std::string_view name, std::int64_t now) {
  const auto rows =
      db_.run("INSERT INTO workspaces (name, created_at) VALUES ($1, $2) RETURNING id", name, now);
  return Workspace{rows.int64(0, 0), std::string(name)};
}

std::int64_t PgAccounts::count_users() { return db_.run("SELECT COUNT(*) FROM users").int64(0, 0); }

Result<User> PgAccounts::create_user(const User& user, std::string_view password_hash) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO users (workspace_id, email, name, role, password_hash, "
            "must_change_password, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            user.workspace_id, user.email, user.name, role_name(user.role), password_hash,
            user.must_change_password, user.created_at);
        User created = user;
        created.id = rows.int64(0, 0);
        return created;
      },
      "email", "a user with this email already exists");
}

std::optional<UserCredentials> PgAccounts::find_credentials(std::string_view email) {
  const auto rows = db_.run("SELECT " + kUserColumns +
                                ", password_hash, failed_logins, locked_until FROM users "
                                "WHERE email = $1",
                            email);
  if (rows.empty()) return std::nullopt;
  const Row row(rows, 0);
  UserCredentials credentials;
  credentials.user = read_user(row);
  credentials.password_hash = row.text(7);
  credentials.failed_logins = static_cast<int>(row.int64(8));
  credentials.locked_until = row.int64(9);
  return credentials;
}

std::optional<User> PgAccounts::find_user(std::int64_t workspace_id, std::int64_t id) {
  const auto rows =
      db_.run("SELECT " + kUserColumns + " FROM users WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_user(Row(rows, 0));
}

Page<User> PgAccounts::list_users(std::int64_t workspace_id, PageRequest page) {
  const auto rows = db_.run("SELECT " + kUserColumns +
                                " FROM users WHERE workspace_id = $1 AND id > $2 "
                                "ORDER BY id LIMIT $3",
                            workspace_id, page.after_id, page.limit + 1);
  return collect_page<User>(rows, page.limit, read_user);
}

void PgAccounts::update_user(const User& user) {
  db_.run("UPDATE users SET name = $1, role = $2, must_change_password = $3 WHERE id = $4",
          user.name, role_name(user.role), user.must_change_password, user.id);
}

void PgAccounts::set_password(std::int64_t user_id, std::string_view password_hash,
                              bool must_change) {
  db_.run(
      "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, "
      "locked_until = 0 WHERE id = $3",
      password_hash, must_change, user_id);
}

bool PgAccounts::delete_user(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM users WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

}  // namespace phishdrill::pg
