#include "service/relay_password.h"

#include "crypto/sodium.h"

namespace phishdrill::service {

std::string seal_relay_password(const SecretKey& key, std::string_view password) {
  return password.empty() ? std::string() : crypto::seal(key, password);
}

std::string open_relay_password(Repositories& repos, const SecretKey& key,
                                std::int64_t workspace_id, std::int64_t id) {
  const auto sealed = repos.profiles.find_sealed_password(workspace_id, id);
  if (!sealed || sealed->empty()) return {};
  return crypto::open(key, *sealed).value_or(std::string());
}

}  // namespace phishdrill::service
