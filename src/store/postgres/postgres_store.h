// The PostgreSQL 15 store: the same ports as the SQLite one over two pools of
// libpq connections (each of options.size: one for writes, one of read-only
// sessions for reads), for installs that share one database between nodes.
// Only the composition root (app/) and tests open it; everything else sees
// the Store port. Thread-safe: each write runs on a connection of its own in
// a READ COMMITTED transaction (the Store contract asks for atomicity, not
// serialisability); each read runs its statements without a transaction
// (the same per-statement snapshots, two round trips fewer) on a session that
// refuses writes. No message it returns carries the URL's password.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "core/secret_key.h"
#include "store/postgres/pool.h"
#include "store/store.h"

namespace phishdrill {

// The store at `url` (postgres://user:password@host:port/db?sslmode=…).
// Connects once to check the URL (kUnavailable when it cannot). `key` seals
// secrets at rest. Migrations are not applied until migrate() is called.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const SecretKey& key,
                                                   pg::PoolOptions options = {});

}  // namespace phishdrill
