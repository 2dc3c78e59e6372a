#include "service/relay_password.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "crypto/sodium.h"

namespace phishdrill::service {

std::string seal_relay_password(const SecretKey& key, std::string_view password) {
  return password.empty() ? std::string() : crypto::seal(key, password);
}

std::string open_relay_password(Repositories& repos, const SecretKey& key,
                                std::int64_t workspace_id, std::int64_t id) {
  const auto sealed = repos.profiles.find_sealed_password(workspace_id, id);
  if (!sealed || sealed->empty()) return {};
  auto opened = crypto::open(key, *sealed);
  if (!opened) {
    // Sealed under another key: the relay will refuse an empty password, and
    // this says why.
    spdlog::error("event=relay_password_unreadable profile={} message={}", id,
                  log_value("the secret key cannot open it; was secret.key replaced?"));
    return {};
  }
  return std::move(*opened);
}

}  // namespace phishdrill::service
