#include <string>

#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kApiKeyColumns =
    "id, workspace_id, user_id, name, role, prefix, created_at, last_used_at";

ApiKey read_api_key(const Row& row) {
  ApiKey key;
  key.id = row.int64(0);
  key.workspace_id = row.int64(1);
  key.user_id = row.int64(2);
  key.name = row.text(3);
  key.role = parse_role(row.text(4)).value_or(Role::kViewer);
  key.prefix = row.text(5);
  key.created_at = row.int64(6);
  key.last_used_at = row.int64(7);
  return key;
}

}  // namespace

void PgSessions::create_session(std::string_view token_hash, const User& user, std::int64_t now) {
  db_.run(
      "INSERT INTO sessions (token_hash, user_id, workspace_id, created_at, last_seen_at) "
      "VALUES ($1, $2, $3, $4, $4)",
      token_hash, user.id, user.workspace_id, now);
}

std::optional<SessionRecord> PgSessions::find_session(std::string_view token_hash) {
  const auto rows = db_.run(
      "SELECT user_id, workspace_id, created_at, last_seen_at FROM sessions "
      "WHERE token_hash = $1",
      token_hash);
  if (rows.empty()) return std::nullopt;
  return SessionRecord{rows.int64(0, 0), rows.int64(0, 1), rows.int64(0, 2), rows.int64(0, 3)};
}

void PgSessions::touch_session(std::string_view token_hash, std::int64_t now) {
  db_.run("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", now, token_hash);
}

void PgSessions::delete_session(std::string_view token_hash) {
  db_.run("DELETE FROM sessions WHERE token_hash = $1", token_hash);
}

void PgSessions::delete_sessions_of(std::int64_t user_id) {
  db_.run("DELETE FROM sessions WHERE user_id = $1", user_id);
}

void PgSessions::delete_expired_sessions(std::int64_t idle_before, std::int64_t created_before) {
  db_.run("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2", idle_before,
          created_before);
}

ApiKey PgSessions::create_api_key(const ApiKey& key, std::string_view key_hash) {
  const auto rows = db_.run(
      "INSERT INTO api_keys (workspace_id, user_id, name, role, prefix, key_hash, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      key.workspace_id, key.user_id, key.name, role_name(key.role), key.prefix, key_hash,
      key.created_at);
  ApiKey created = key;
  created.id = rows.int64(0, 0);
  return created;
}

std::optional<ApiKey> PgSessions::find_api_key(std::string_view key_hash) {
  const auto rows =
      db_.run("SELECT " + kApiKeyColumns + " FROM api_keys WHERE key_hash = $1", key_hash);
  if (rows.empty()) return std::nullopt;
  return read_api_key(Row(rows, 0));
}

Page<ApiKey> PgSessions::list_api_keys(std::int64_t workspace_id, PageRequest page) {
  const auto rows = db_.run("SELECT " + kApiKeyColumns +
                                " FROM api_keys WHERE workspace_id = $1 AND id > $2 "
                                "ORDER BY id LIMIT $3",
                            workspace_id, page.after_id, page.limit + 1);
  return collect_page<ApiKey>(rows, page.limit, read_api_key);
}

bool PgSessions::delete_api_key(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM api_keys WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

int PgSessions::delete_api_keys_of(std::int64_t user_id) {
  return static_cast<int>(db_.run("DELETE FROM api_keys WHERE user_id = $1", user_id).affected());
}

void PgSessions::touch_api_key(std::int64_t id, std::int64_t now) {
  db_.run("UPDATE api_keys SET last_used_at = $1 WHERE id = $2", now, id);
}

}  // namespace phishdrill::pg
