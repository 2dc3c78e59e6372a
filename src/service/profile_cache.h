// ProfileCache: sending profiles (with their passwords opened under the
// secret key, service/relay_password.h) as a mail worker thread sees them, re-read when older than
// `freshness` so an edited profile takes effect within seconds without a read per message. Used
// inside the caller's store transaction. One per thread; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/secret_key.h"
#include "core/sending_profile.h"
#include "store/store.h"

namespace phishdrill::service {

class ProfileCache {
 public:
  struct Entry {
    std::optional<SendingProfile> profile;  // nullopt: it no longer exists
    std::string password;
    std::chrono::steady_clock::time_point loaded;
  };

  explicit ProfileCache(const SecretKey& key,
                        std::chrono::steady_clock::duration freshness = std::chrono::seconds(5))
      : key_(key), freshness_(freshness) {}

  const Entry& get(Repositories& repos, std::int64_t workspace_id, std::int64_t id);

 private:
  SecretKey key_;
  std::chrono::steady_clock::duration freshness_;
  std::map<std::int64_t, Entry> entries_;
};

}  // namespace phishdrill::service
