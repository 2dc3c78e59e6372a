// copy_sqlite_to_postgres: moves a single-node install's store (its SQLite
// file) into an empty PostgreSQL store, for `phishdrill store copy`.
// In order: opens the SQLite file read-only and refuses it unless it is at
// this build's schema version (nothing is ever run on it); refuses a
// PostgreSQL store with any row in any table, before changing anything
// there; migrates the target (store/postgres/migrations.h, under its
// advisory lock); plans the copy from both databases' own catalogues
// (store/copy/copy_plan.h); then, in one PostgreSQL transaction with the
// tables locked against other writers: checks again that they are empty,
// streams every table in with COPY (memory stays bounded whatever a table's
// size), moves every id sequence past the copied ids (and past ids SQLite
// handed out to rows deleted since, which it never reuses), and compares each
// table's row count with the source's. Any failure rolls all of it back.
// Values are copied as stored: sealed secrets stay sealed under the
// installation's secret.key (the copy never opens them), so the target must
// run with the same key. No message carries the target URL's password.
// Thread-compatible: one copy per call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace phishdrill::store_copy {

struct TableCount {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
};

struct CopyReport {
  std::string target_schema;
  int migrations_applied = 0;      // on the target, before the copy
  std::vector<TableCount> tables;  // in the order they were copied
  int sequences_advanced = 0;
};

// Told about each table once its rows are in (before the commit).
using CopyProgress = std::function<void(const std::string& table, std::int64_t rows)>;

// kNotFound / kBadRequest for a source that is missing or not a Phishdrill
// store, kValidation for one at another schema version or schemas that do
// not match, kConflict for a target that holds rows, kUnavailable when the
// target cannot be reached, kInternal when the database fails.
Result<CopyReport> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                           const std::string& postgres_url,
                                           const CopyProgress& progress = {});

}  // namespace phishdrill::store_copy
