// The PostgreSQL schema, as an append-only list of migrations recorded in
// schema_migrations. The first is the SQLite schema's final shape after all
// of its migrations (store/sqlite/migrations.cpp), in PostgreSQL's types:
// BIGINT identity ids (never reused, so event ids only grow), BOOLEAN flags,
// TEXT for JSON columns. apply_migrations holds a session advisory lock
// (keyed by the current schema) while it runs, so nodes that start together
// run each migration once; the others wait and find nothing left to do.
// Not thread-safe on one connection; safe across connections and processes.
#pragma once

#include "store/postgres/connection.h"

namespace phishdrill::pg {

// Applies the migrations `conn`'s database lacks, each in its own
// transaction; returns how many ran. Throws Failure.
int apply_migrations(Connection& conn);

}  // namespace phishdrill::pg
