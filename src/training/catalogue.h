// The training catalogue: every module a workspace can assign, loaded from
// the shipped content folder and from the folder of imported modules (an
// imported module with the same slug replaces the shipped one when its
// version is higher). Readers get an immutable snapshot that stays valid
// while they hold it; an import swaps in a new snapshot. Thread-safe: reads
// never wait for an import or a load (they only copy a pointer), imports and
// loads run one at a time. Folders whose name starts with '.' or '_' are not
// modules (the importer unpacks into <imported>/.incoming-XXXXXX).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "training/training_module.h"

namespace phishdrill {

using ModuleList = std::vector<TrainingModule>;  // sorted by slug

class TrainingCatalogue {
 public:
  // `shipped` may be missing (no shipped modules); `imported` is created when
  // the first module is imported. Neither is read until load().
  TrainingCatalogue(std::filesystem::path shipped, std::filesystem::path imported);

  // (Re)reads both folders. A folder that fails to load keeps its modules as
  // they were (none before the first load), the other folder's are still
  // refreshed, and the first error (naming the file) is returned: a broken
  // imported module never hides the shipped ones.
  Result<void> load();

  // The current snapshot (empty before the first load()); never null.
  std::shared_ptr<const ModuleList> modules() const;
  // The module with this slug in the current snapshot, or nullptr.
  std::shared_ptr<const TrainingModule> find(std::string_view slug) const;

  // Imports a module folder packed as a tar archive (ustar/pax/GNU; one
  // top-level folder named after the slug, or the module files at the
  // root). Refused with kValidation naming the problem: unsafe paths
  // (absolute, "..", links, devices), more than 200 entries or 20 MiB
  // unpacked, or a module that fails load_module(); kConflict when the
  // catalogue already holds this slug at the same or a higher version.
  // Nothing is left on disk unless the whole module is valid; on success the
  // folder is in place (atomically renamed, replacing an older imported
  // copy) and the snapshot includes it. Before the first load() it loads
  // (a load error does not stop the import). The version rule is also checked
  // against an imported copy on disk, in case its folder failed to load.
  // Refusals are kValidation, disk failures kInternal.
  Result<TrainingModule> import_tar(std::string_view archive);

 private:
  // Both need import_mutex_.
  Result<void> load_locked();
  void publish_locked();  // snapshot_ = shipped_modules_ merged with imported_modules_

  std::filesystem::path shipped_;
  std::filesystem::path imported_;
  std::mutex import_mutex_;  // serialises load() and imports; guards the three below
  bool loaded_ = false;
  ModuleList shipped_modules_;  // as last loaded from each folder
  ModuleList imported_modules_;
  mutable std::mutex mutex_;  // guards snapshot_ (held only to copy or swap it)
  std::shared_ptr<const ModuleList> snapshot_;
};

}  // namespace phishdrill
