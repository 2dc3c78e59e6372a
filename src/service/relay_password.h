// A sending profile's relay password at rest: sealed under the installation's
// secret key before it reaches the store (seal_relay_password; "" stays "",
// meaning no password), and opened only for the transport and the test send
// (open_relay_password). The store never sees the password in clear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/secret_key.h"
#include "store/store.h"

namespace phishdrill::service {

std::string seal_relay_password(const SecretKey& key, std::string_view password);

// The opened password of profile `id`: "" when it has none, is unknown, or
// its password was sealed under another key (the relay then refuses the
// login, which the send reports).
std::string open_relay_password(Repositories& repos, const SecretKey& key,
                                std::int64_t workspace_id, std::int64_t id);

}  // namespace phishdrill::service
