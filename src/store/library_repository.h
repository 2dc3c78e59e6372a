// Port: the simulations a workspace imported from packs (library/
// simulation_pack.h), kept as their folder's files so that every node sees
// the same library and an export gives back what was imported. One per
// slug per workspace; a replacement is a new row with a new id, so a cache
// keyed by id never serves stale files. Used only inside a Store
// transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace phishdrill {

struct ImportedSimulationRow {
  std::int64_t id = 0;
  std::string slug;
  int version = 0;
  std::int64_t imported_at = 0;  // who imported it: the audit log (library.import)
};

using SimulationFileMap = std::map<std::string, std::string, std::less<>>;

class LibraryRepository {
 public:
  virtual ~LibraryRepository() = default;

  // The workspace's imports, by slug (no files).
  virtual std::vector<ImportedSimulationRow> imported_simulations(std::int64_t workspace_id) = 0;
  virtual std::optional<SimulationFileMap> imported_simulation_files(std::int64_t workspace_id,
                                                                     std::int64_t id) = 0;
  // Adds the simulation, or replaces the workspace's one with its slug;
  // returns the new row's id.
  virtual std::int64_t put_imported_simulation(std::int64_t workspace_id,
                                               const ImportedSimulationRow& row,
                                               const SimulationFileMap& files) = 0;
  // False when the workspace imported no simulation with this slug.
  virtual bool delete_imported_simulation(std::int64_t workspace_id, const std::string& slug) = 0;
};

}  // namespace phishdrill
