// The composition root of `phishdrill serve`: opens the data directory and
// the store, applies migrations, creates the first admin, wires the admin and
// phish HTTP servers and runs them until SIGINT/SIGTERM.
#pragma once

#include <memory>

#include "app/config.h"
#include "core/clock.h"
#include "crypto/random_tokens.h"
#include "crypto/sodium.h"
#include "store/store.h"

namespace phishdrill::app {

// Returns the process exit code.
int run_server(const Config& config, bool demo);

// Prepares the data directory, logging, the secret key and the migrated
// store; shared by every command that touches the database.
struct Runtime {
  Config config;
  SystemClock clock;
  crypto::RandomTokens tokens;
  crypto::SecretKey key{};
  std::unique_ptr<Store> store;
};
Result<std::unique_ptr<Runtime>> open_runtime(const Config& config);

}  // namespace phishdrill::app
