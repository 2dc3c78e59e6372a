#include "core/base64.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::vector<TrainingImportRow> PgTrainingImports::training_imports() {
  const auto rows = db_.run(
      "SELECT id, workspace_id, slug, version, imported_at FROM training_imports "
      "ORDER BY workspace_id, slug");
  std::vector<TrainingImportRow> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.int64(i, 0), rows.int64(i, 1), rows.text(i, 2),
                   static_cast<int>(rows.int64(i, 3)), rows.int64(i, 4)});
  }
  return out;
}

std::optional<std::string> PgTrainingImports::training_import_archive(std::int64_t id) {
  const auto rows = db_.run("SELECT archive FROM training_imports WHERE id = $1", id);
  if (rows.size() == 0) return std::nullopt;
  return base64_decode(rows.text(0, 0));
}

void PgTrainingImports::put_training_import(const TrainingImportRow& row,
                                            const std::string& archive) {
  db_.run("DELETE FROM training_imports WHERE workspace_id = $1 AND slug = $2", row.workspace_id,
          row.slug);
  db_.run(
      "INSERT INTO training_imports (workspace_id, slug, version, imported_at, archive) "
      "VALUES ($1, $2, $3, $4, $5)",
      row.workspace_id, row.slug, std::int64_t{row.version}, row.imported_at,
      base64_encode(archive));
}

}  // namespace phishdrill::pg
