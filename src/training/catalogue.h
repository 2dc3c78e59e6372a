// The training catalogue: the shipped modules, which every workspace sees,
// plus each workspace's own imported modules, which only that workspace sees
// (an import with a shipped module's slug and a higher version replaces it
// for that workspace alone). Imports live in <imported>/<workspace id>/<slug>.
// Readers get an immutable per-workspace snapshot that stays valid while they
// hold it; an import swaps in a new one. Thread-safe: reads never wait for an
// import or a load (they only copy a pointer), imports and loads run one at a
// time. Folders whose name starts with '.' or '_' are not modules (the
// importer unpacks into <imported>/<workspace id>/.incoming-XXXXXX).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/mutex.h"
#include "training/training_module.h"

namespace phishdrill {

using ModuleList = std::vector<TrainingModule>;  // sorted by slug

class TrainingCatalogue {
 public:
  // `shipped` may be missing (no shipped modules); `imported` is created when
  // the first module is imported. Neither is read until load().
  TrainingCatalogue(std::filesystem::path shipped, std::filesystem::path imported);

  // Module folders directly in `imported` date from before imports belonged
  // to a workspace: moves them into `workspace_id`'s folder (one already
  // there is kept and the old one left where it was). Returns the slugs moved.
  // Call before load().
  Result<std::vector<std::string>> adopt_unowned_imports(std::int64_t workspace_id);

  // (Re)reads the shipped folder and every workspace's folder. A folder that
  // fails to load keeps its modules as they were (none before the first
  // load), the others are still refreshed, and the first error (naming the
  // file) is returned: a broken imported module never hides the shipped ones.
  Result<void> load();

  // The workspace's current snapshot (empty before the first load()); never null.
  std::shared_ptr<const ModuleList> modules(std::int64_t workspace_id) const;
  // The module with this slug as the workspace sees it, or nullptr.
  std::shared_ptr<const TrainingModule> find(std::int64_t workspace_id,
                                             std::string_view slug) const;

  // Imports a module folder packed as a tar archive (ustar/pax/GNU; one
  // top-level folder named after the slug, or the module files at the
  // root) into the workspace. Refused with kValidation naming the problem:
  // unsafe paths (absolute, "..", links, devices), more than 200 entries or
  // 20 MiB unpacked, or a module that fails load_module(); kConflict when the
  // workspace already sees this slug at the same or a higher version.
  // Nothing is left on disk unless the whole module is valid; on success the
  // folder is in place (atomically renamed, replacing an older imported
  // copy) and the workspace's snapshot includes it; no other workspace's
  // changes. Before the first load() it loads (a load error does not stop
  // the import). The version rule is also checked against an imported copy
  // on disk, in case its folder failed to load. Refusals are kValidation,
  // disk failures kInternal.
  Result<TrainingModule> import_tar(std::int64_t workspace_id, std::string_view archive);

  // Every workspace's imported modules as loaded, each with its folder.
  struct ImportedFolder {
    std::int64_t workspace_id = 0;
    std::string slug;
    int version = 0;
    std::filesystem::path folder;
  };
  std::vector<ImportedFolder> imported_folders();

 private:
  using Snapshots = std::map<std::int64_t, std::shared_ptr<const ModuleList>>;
  Result<void> load_locked() PD_REQUIRES(import_mutex_);
  // every snapshot = shipped_modules_ merged with the workspace's imports
  void publish_locked() PD_REQUIRES(
      import_mutex_);  // every snapshot = shipped_modules_ merged with the workspace's imports
  std::filesystem::path workspace_folder(std::int64_t workspace_id) const;

  std::filesystem::path shipped_;
  std::filesystem::path imported_;
  Mutex import_mutex_;  // serialises load() and imports; guards the three below
  bool loaded_ PD_GUARDED_BY(import_mutex_) = false;
  ModuleList shipped_modules_ PD_GUARDED_BY(import_mutex_);  // as last loaded from each folder
  std::map<std::int64_t, ModuleList> imported_modules_ PD_GUARDED_BY(import_mutex_);
  mutable Mutex mutex_;  // guards the two snapshots (held only to copy or swap them)
  // Workspaces without imports, and those with.
  std::shared_ptr<const ModuleList> shipped_snapshot_ PD_GUARDED_BY(mutex_);
  Snapshots snapshots_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill
