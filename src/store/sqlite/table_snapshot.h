// TableSnapshot: every application table of a SQLite store file, read-only
// and consistent, for copying the store elsewhere (store/copy/). It opens an
// existing file without the right to write it (it never creates, migrates
// or changes the file, not even its settings) and reads everything inside
// one read transaction, so counts and rows agree. A file no process has open
// is read as immutable (sqlite::ConnectionRole::kReadOnly): stop the server
// that uses it first. Tables are listed from the file itself (sqlite_schema,
// pragma_table_info), not from a list kept here; SQLite's own tables
// (sqlite_*) are not application tables and are left out.
// Not thread-safe: one thread uses a snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/sqlite/connection.h"
#include "store/table_rows.h"

namespace phishdrill::sqlite {

class TableSnapshot {
 public:
  // kNotFound when there is no file at `path`, kBadRequest when it is not a
  // SQLite database.
  static Result<std::unique_ptr<TableSnapshot>> open(const std::string& path);
  TableSnapshot(const TableSnapshot&) = delete;
  TableSnapshot& operator=(const TableSnapshot&) = delete;

  // The version in the file's schema_migrations (0: it has none); this
  // build's is latest_schema_version() (store/sqlite/migrations.h).
  Result<int> schema_version();
  // Every application table with its columns and the tables it references.
  Result<std::vector<TableShape>> tables();
  Result<std::int64_t> count_rows(const std::string& table);
  // The largest id an AUTOINCREMENT table ever handed out (sqlite_sequence:
  // also that of rows deleted since, which are never handed out again); 0
  // for any other table.
  Result<std::int64_t> last_issued_id(const std::string& table);
  // Visits every row of `table`, its values in the order of `columns`.
  Result<void> for_each_row(const std::string& table, const std::vector<std::string>& columns,
                            const RowVisitor& visit);

 private:
  explicit TableSnapshot(const std::string& path);

  Connection db_;
};

}  // namespace phishdrill::sqlite
