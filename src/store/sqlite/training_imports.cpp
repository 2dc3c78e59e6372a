#include "core/base64.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::vector<TrainingImportRow> SqliteTrainingImports::training_imports() {
  auto stmt = db_.prepare(
      "SELECT id, workspace_id, slug, version, imported_at FROM training_imports "
      "ORDER BY workspace_id, slug");
  std::vector<TrainingImportRow> out;
  while (stmt.step()) {
    out.push_back({stmt.int64(0), stmt.int64(1), stmt.text(2), static_cast<int>(stmt.int64(3)),
                   stmt.int64(4)});
  }
  return out;
}

std::optional<std::string> SqliteTrainingImports::training_import_archive(std::int64_t id) {
  auto stmt = db_.prepare("SELECT archive FROM training_imports WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return base64_decode(stmt.text(0));
}

void SqliteTrainingImports::put_training_import(const TrainingImportRow& row,
                                                const std::string& archive) {
  db_.prepare("DELETE FROM training_imports WHERE workspace_id = ? AND slug = ?")
      .bind(1, row.workspace_id)
      .bind(2, row.slug)
      .run();
  db_.prepare(
         "INSERT INTO training_imports (workspace_id, slug, version, imported_at, archive) "
         "VALUES (?,?,?,?,?)")
      .bind(1, row.workspace_id)
      .bind(2, row.slug)
      .bind(3, std::int64_t{row.version})
      .bind(4, row.imported_at)
      .bind(5, base64_encode(archive))
      .run();
}

}  // namespace phishdrill::sqlite
