// Queries shared by every table of workspace-owned rows with an integer id:
// find, list (keyset pages by id) and delete, each scoped by workspace_id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/page.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

inline bool delete_owned(Connection& db, const char* table, std::int64_t workspace_id,
                         std::int64_t id) {
  db.prepare(std::string("DELETE FROM ") + table + " WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db.changes() > 0;
}

template <typename T, typename ReadRow>
std::optional<T> find_owned(Connection& db, const char* columns, const char* table,
                            std::int64_t workspace_id, std::int64_t id, ReadRow read_row) {
  auto stmt = db.prepare(std::string("SELECT ") + columns + " FROM " + table +
                         " WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return read_row(stmt);
}

template <typename T, typename ReadRow>
Page<T> list_owned(Connection& db, const char* columns, const char* table,
                   std::int64_t workspace_id, PageRequest page, ReadRow read_row) {
  auto stmt = db.prepare(std::string("SELECT ") + columns + " FROM " + table +
                         " WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<T>(stmt, page.limit, read_row);
}

}  // namespace phishdrill::sqlite
