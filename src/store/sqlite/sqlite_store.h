// The embedded SQLite store: the default backend, one file on disk. Only the
// composition root (app/) and tests open it; everything else sees the Store
// port. Thread-safe: write transactions run one at a time on one connection;
// read transactions run beside them on reader connections (WAL), each seeing
// every write committed before it began. A read transaction cannot write.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "crypto/sodium.h"
#include "store/store.h"

namespace phishdrill {

// The SQLite store at `path` (created if missing). `key` seals secrets at
// rest. Migrations are not applied until migrate() is called.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const crypto::SecretKey& key);

}  // namespace phishdrill
