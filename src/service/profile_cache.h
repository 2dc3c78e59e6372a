// ProfileCache: sending profiles (with their passwords opened under the
// secret key, service/relay_password.h) as a mail worker thread sees them, re-read once a
// profile change is announced on any node (store/change_notices.h) and when older than
// `freshness`, so an edited profile takes effect at once without a read per message. Used
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
    std::uint64_t generation = 0;
  };

  ProfileCache(const SecretKey& key, const ChangeGenerations& changes,
               std::chrono::steady_clock::duration freshness = std::chrono::seconds(5))
      : key_(key), changes_(changes), freshness_(freshness) {}

  const Entry& get(Repositories& repos, std::int64_t workspace_id, std::int64_t id);

 private:
  SecretKey key_;
  const ChangeGenerations& changes_;
  std::chrono::steady_clock::duration freshness_;
  std::map<std::int64_t, Entry> entries_;
};

}  // namespace phishdrill::service
