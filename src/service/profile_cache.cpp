#include "service/profile_cache.h"

namespace phishdrill::service {

const ProfileCache::Entry& ProfileCache::get(Repositories& repos, std::int64_t workspace_id,
                                             std::int64_t id) {
  const auto now = std::chrono::steady_clock::now();
  auto& cached = entries_[id];
  if (cached.loaded.time_since_epoch().count() == 0 || now - cached.loaded > freshness_) {
    cached.profile = repos.templates.find_profile(workspace_id, id);
    cached.password =
        cached.profile
            ? repos.templates.find_profile_secret(workspace_id, id).value_or(std::string())
            : std::string();
    cached.loaded = now;
  }
  return cached;
}

}  // namespace phishdrill::service
