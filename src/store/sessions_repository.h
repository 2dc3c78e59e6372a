// Port: the credentials a signed-in user or a script presents: sessions
// (cookie) and API keys (bearer). Tokens arrive already hashed (SHA-256):
// nothing here ever sees a clear token. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/user.h"
#include "store/page.h"

namespace phishdrill {

struct SessionRecord {
  std::int64_t user_id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

class SessionsRepository {
 public:
  virtual ~SessionsRepository() = default;

  virtual void create_session(std::string_view token_hash, const User& user, std::int64_t now) = 0;
  virtual std::optional<SessionRecord> find_session(std::string_view token_hash) = 0;
  virtual void touch_session(std::string_view token_hash, std::int64_t now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;
  virtual void delete_sessions_of(std::int64_t user_id) = 0;
  // Sessions last seen before `idle_before` or created before `created_before`.
  virtual void delete_expired_sessions(std::int64_t idle_before, std::int64_t created_before) = 0;

  virtual ApiKey create_api_key(const ApiKey& key, std::string_view key_hash) = 0;
  virtual std::optional<ApiKey> find_api_key(std::string_view key_hash) = 0;
  virtual Page<ApiKey> list_api_keys(std::int64_t workspace_id, PageRequest page) = 0;
  virtual bool delete_api_key(std::int64_t workspace_id, std::int64_t id) = 0;
  // Revokes every key of the user; returns how many there were.
  virtual int delete_api_keys_of(std::int64_t user_id) = 0;
  virtual void touch_api_key(std::int64_t id, std::int64_t now) = 0;
};

}  // namespace phishdrill
