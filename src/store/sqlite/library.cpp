#include "store/json_columns.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::vector<ImportedSimulationRow> SqliteLibrary::imported_simulations(std::int64_t workspace_id) {
  auto stmt = db_.prepare(
      "SELECT id, slug, version, imported_at FROM imported_simulations "
      "WHERE workspace_id = ? ORDER BY slug");
  stmt.bind(1, workspace_id);
  std::vector<ImportedSimulationRow> out;
  while (stmt.step()) {
    out.push_back({stmt.int64(0), stmt.text(1), static_cast<int>(stmt.int64(2)), stmt.int64(3)});
  }
  return out;
}

std::optional<SimulationFileMap> SqliteLibrary::imported_simulation_files(std::int64_t workspace_id,
                                                                          std::int64_t id) {
  auto stmt =
      db_.prepare("SELECT files FROM imported_simulations WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return json_columns::files_from_json(stmt.text(0));
}

std::int64_t SqliteLibrary::put_imported_simulation(std::int64_t workspace_id,
                                                    const ImportedSimulationRow& row,
                                                    const SimulationFileMap& files) {
  delete_imported_simulation(workspace_id, row.slug);
  auto stmt = db_.prepare(
      "INSERT INTO imported_simulations (workspace_id, slug, version, imported_at, files) "
      "VALUES (?,?,?,?,?)");
  stmt.bind(1, workspace_id).bind(2, row.slug).bind(3, std::int64_t{row.version});
  stmt.bind(4, row.imported_at).bind(5, json_columns::files_to_json(files)).run();
  return db_.last_insert_id();
}

bool SqliteLibrary::delete_imported_simulation(std::int64_t workspace_id, const std::string& slug) {
  db_.prepare("DELETE FROM imported_simulations WHERE workspace_id = ? AND slug = ?")
      .bind(1, workspace_id)
      .bind(2, slug)
      .run();
  return db_.changes() > 0;
}

}  // namespace phishdrill::sqlite
