// The installation's secret key must be the same on every node and across
// restarts: everything sealed (relay passwords, webhook URLs and secrets)
// opens only with the key that sealed it. The first start records a check
// value of the key in the store (a keyed hash, which reveals nothing of the
// key); every later start of any node compares its own key with it and
// refuses to run with another one, instead of failing to open secrets one
// message at a time.
#pragma once

#include "core/error.h"
#include "core/secret_key.h"
#include "store/store.h"

namespace phishdrill::service {

// kValidation, naming secret.key, when `key` is not the installation's.
Result<void> check_installation_key(Store& store, const SecretKey& key);

}  // namespace phishdrill::service
