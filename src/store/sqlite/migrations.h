// Versioned schema migrations for the SQLite store. Each migration runs in its
// own transaction and is recorded in schema_migrations; applying is idempotent.
// Not thread-safe: call with exclusive use of the connection.
#pragma once

#include "store/sqlite/connection.h"

namespace phishdrill::sqlite {

// Applies every migration newer than the database's version; returns how many.
int apply_migrations(Connection& db);

// The version apply_migrations brings a database to (this build's schema).
int latest_schema_version();

// The version recorded in the database's schema_migrations, 0 when it has no
// such table; reads only (a read-only connection will do).
int recorded_schema_version(Connection& db);

}  // namespace phishdrill::sqlite
