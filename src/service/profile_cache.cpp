#include "service/profile_cache.h"

#include "service/relay_password.h"

namespace phishdrill::service {

const ProfileCache::Entry& ProfileCache::get(Repositories& repos, std::int64_t workspace_id,
                                             std::int64_t id) {
  const auto now = std::chrono::steady_clock::now();
  const auto generation = changes_.current(ChangeTopic::kSendingProfiles);
  auto& cached = entries_[id];
  if (cached.loaded.time_since_epoch().count() == 0 || now - cached.loaded > freshness_ ||
      cached.generation != generation) {
    cached.profile = repos.profiles.find_profile(workspace_id, id);
    cached.password =
        cached.profile ? open_relay_password(repos, key_, workspace_id, id) : std::string();
    cached.loaded = now;
    cached.generation = generation;
  }
  return cached;
}

}  // namespace phishdrill::service
