// The simulation library as each workspace sees it: the shipped simulations
// with the workspace's imports (service/library/simulation_packs.h) merged
// in — an import with a shipped simulation's slug replaces it there — in
// one SimulationLibrary (sorted by title) that rating, copying and export
// use like the shipped one.
// LibraryCatalogue::for_workspace reads the workspace's import rows (ids
// only) on every call, so every node sees an import or removal at once;
// an import's files are read and parsed once per row id (a replacement is
// a new row), and a workspace's merged library is rebuilt only when its
// set of rows changed. A stored import that no longer loads (a later
// version's stricter rules) is left out and logged, never breaking the
// library. Thread-safe: any thread may call; the caches take a lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/mutex.h"
#include "library/simulation_library.h"
#include "store/store.h"

namespace phishdrill::service {

struct WorkspaceLibrary {
  std::shared_ptr<const SimulationLibrary> library;
  std::map<std::string, ImportedSimulationRow, std::less<>> imported;  // by slug
  const SimulationLibrary* shipped = nullptr;

  const ImportedSimulationRow* import_of(std::string_view slug) const;
  bool replaces_shipped(std::string_view slug) const;
};

class LibraryCatalogue {
 public:
  explicit LibraryCatalogue(std::shared_ptr<const SimulationLibrary> shipped);

  const SimulationLibrary& shipped() const { return *shipped_; }
  Result<WorkspaceLibrary> for_workspace(Store& store, std::int64_t workspace_id);

 private:
  // A stored import parsed (cached by row id); nullptr when it no longer loads.
  std::shared_ptr<const Simulation> parsed(std::int64_t row_id, const std::string& slug,
                                           const SimulationFileMap& files);
  struct Merged {
    std::vector<std::int64_t> row_ids;
    std::shared_ptr<const SimulationLibrary> library;
  };

  Result<std::shared_ptr<const SimulationLibrary>> merge(
      Store& store, std::int64_t workspace_id, const std::vector<ImportedSimulationRow>& rows);

  std::shared_ptr<const SimulationLibrary> shipped_;
  Mutex mutex_;  // guards the two caches
  std::map<std::int64_t, std::shared_ptr<const Simulation>> by_row_ PD_GUARDED_BY(mutex_);
  std::map<std::int64_t, Merged> by_workspace_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::service
