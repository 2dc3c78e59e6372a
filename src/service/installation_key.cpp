#include "service/installation_key.h"

#include "crypto/sodium.h"

namespace phishdrill::service {

Result<void> check_installation_key(Store& store, const SecretKey& key) {
  const std::string mine = crypto::keyed_mac(key, "installation-key-check", "phishdrill");
  std::string recorded;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    repos.installation.record_key_check(mine);
    recorded = repos.installation.key_check().value_or(std::string());
    return {};
  }));
  if (!crypto::constant_time_equal(recorded, mine)) {
    return fail(ErrorCode::kValidation,
                "this node's secret.key is not the one the database was set up with: every node "
                "must use the same secret.key (copy it from the first node, or restore it from "
                "the backup); with another key no stored secret can be opened");
  }
  return {};
}

}  // namespace phishdrill::service
