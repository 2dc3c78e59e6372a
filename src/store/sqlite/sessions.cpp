#include <string>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

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

void SqliteSessions::create_session(std::string_view token_hash, const User& user,
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

std::optional<SessionRecord> SqliteSessions::find_session(std::string_view token_hash) {
  auto stmt = db_.prepare(
      "SELECT user_id, workspace_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?");
  stmt.bind(1, token_hash);
  if (!stmt.step()) return std::nullopt;
  return SessionRecord{stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3)};
}

void SqliteSessions::touch_session(std::string_view token_hash, std::int64_t now) {
  db_.prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
      .bind(1, now)
      .bind(2, token_hash)
      .run();
}

void SqliteSessions::delete_session(std::string_view token_hash) {
  db_.prepare("DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).run();
}

void SqliteSessions::delete_sessions_of(std::int64_t user_id) {
  db_.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).run();
}

void SqliteSessions::delete_expired_sessions(std::int64_t idle_before,
                                             std::int64_t created_before) {
  db_.prepare("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
      .bind(1, idle_before)
      .bind(2, created_before)
      .run();
}

ApiKey SqliteSessions::create_api_key(const ApiKey& key, std::string_view key_hash) {
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

std::optional<ApiKey> SqliteSessions::find_api_key(std::string_view key_hash) {
  auto stmt =
      db_.prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE key_hash = ?");
  stmt.bind(1, key_hash);
  if (!stmt.step()) return std::nullopt;
  return read_api_key(stmt);
}

Page<ApiKey> SqliteSessions::list_api_keys(std::int64_t workspace_id, PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + kApiKeyColumns +
                          " FROM api_keys WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<ApiKey>(stmt, page.limit, read_api_key);
}

bool SqliteSessions::delete_api_key(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("DELETE FROM api_keys WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

int SqliteSessions::delete_api_keys_of(std::int64_t user_id) {
  db_.prepare("DELETE FROM api_keys WHERE user_id = ?").bind(1, user_id).run();
  return static_cast<int>(db_.changes());
}

void SqliteSessions::touch_api_key(std::int64_t id, std::int64_t now) {
  db_.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?").bind(1, now).bind(2, id).run();
}

}  // namespace phishdrill::sqlite
