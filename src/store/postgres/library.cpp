#include "store/json_columns.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::vector<ImportedSimulationRow> PgLibrary::imported_simulations(std::int64_t workspace_id) {
  const auto rows = db_.run(
      "SELECT id, slug, version, imported_at FROM imported_simulations "
      "WHERE workspace_id = $1 ORDER BY slug",
      workspace_id);
  std::vector<ImportedSimulationRow> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back(
        {rows.int64(i, 0), rows.text(i, 1), static_cast<int>(rows.int64(i, 2)), rows.int64(i, 3)});
  }
  return out;
}

std::optional<SimulationFileMap> PgLibrary::imported_simulation_files(std::int64_t workspace_id,
                                                                      std::int64_t id) {
  const auto rows =
      db_.run("SELECT files FROM imported_simulations WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.size() == 0) return std::nullopt;
  return json_columns::files_from_json(rows.text(0, 0));
}

std::int64_t PgLibrary::put_imported_simulation(std::int64_t workspace_id,
                                                const ImportedSimulationRow& row,
                                                const SimulationFileMap& files) {
  delete_imported_simulation(workspace_id, row.slug);
  return db_
      .run(
          "INSERT INTO imported_simulations (workspace_id, slug, version, imported_at, files) "
          "VALUES ($1, $2, $3, $4, $5) RETURNING id",
          workspace_id, row.slug, std::int64_t{row.version}, row.imported_at,
          json_columns::files_to_json(files))
      .int64(0, 0);
}

bool PgLibrary::delete_imported_simulation(std::int64_t workspace_id, const std::string& slug) {
  return db_.run("DELETE FROM imported_simulations WHERE workspace_id = $1 AND slug = $2",
                 workspace_id, slug)
             .affected() > 0;
}

}  // namespace phishdrill::pg
