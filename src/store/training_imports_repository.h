// Port: the training modules workspaces imported, kept as the tar archive
// each was imported from, so that every node installs every import (the
// catalogue itself lives on each node's disk: training/catalogue.h; service/
// training_imports.h keeps the two in step). One per slug per workspace; a
// newer version replaces the row. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace phishdrill {

struct TrainingImportRow {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string slug;
  int version = 0;
  std::int64_t imported_at = 0;
};

class TrainingImportsRepository {
 public:
  virtual ~TrainingImportsRepository() = default;

  // Every workspace's imports (no archives), by workspace then slug.
  virtual std::vector<TrainingImportRow> training_imports() = 0;
  virtual std::optional<std::string> training_import_archive(std::int64_t id) = 0;
  // Adds the import, or replaces the workspace's row for its slug.
  virtual void put_training_import(const TrainingImportRow& row, const std::string& archive) = 0;
};

}  // namespace phishdrill
