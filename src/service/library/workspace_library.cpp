#include "service/library/workspace_library.h"

#include <spdlog/spdlog.h>

#include "library/simulation_loader.h"

namespace phishdrill::service {
namespace {

// Parsed imports kept at most; past it the cache starts over (replaced rows
// are never asked for again, so this is what bounds it).
constexpr std::size_t kMaxCachedImports = 4096;

}  // namespace

const ImportedSimulationRow* WorkspaceLibrary::import_of(std::string_view slug) const {
  const auto it = imported.find(slug);
  return it == imported.end() ? nullptr : &it->second;
}

bool WorkspaceLibrary::replaces_shipped(std::string_view slug) const {
  return import_of(slug) != nullptr && shipped != nullptr && shipped->find(slug) != nullptr;
}

LibraryCatalogue::LibraryCatalogue(std::shared_ptr<const SimulationLibrary> shipped)
    : shipped_(shipped ? std::move(shipped) : std::make_shared<SimulationLibrary>()) {}

std::shared_ptr<const Simulation> LibraryCatalogue::parsed(std::int64_t row_id,
                                                           const std::string& slug,
                                                           const SimulationFileMap& files) {
  {
    MutexLock lock(mutex_);
    if (const auto it = by_row_.find(row_id); it != by_row_.end()) return it->second;
  }
  auto simulation = parse_simulation(SimulationFiles{slug, files, slug});
  std::shared_ptr<const Simulation> out;
  if (simulation) {
    out = std::make_shared<const Simulation>(std::move(*simulation));
  } else {
    spdlog::warn("event=imported_simulation_invalid slug={} message={}", slug,
                 simulation.error().message);
  }
  MutexLock lock(mutex_);
  if (by_row_.size() >= kMaxCachedImports) by_row_.clear();
  by_row_[row_id] = out;
  return out;
}

Result<std::shared_ptr<const SimulationLibrary>> LibraryCatalogue::merge(
    Store& store, std::int64_t workspace_id, const std::vector<ImportedSimulationRow>& rows) {
  std::map<std::string, Simulation, std::less<>> by_slug;
  for (const Simulation& s : shipped_->all()) by_slug.emplace(s.slug, s);
  for (const auto& row : rows) {
    std::shared_ptr<const Simulation> simulation;
    {
      MutexLock lock(mutex_);
      if (const auto it = by_row_.find(row.id); it != by_row_.end()) simulation = it->second;
    }
    if (!simulation) {
      std::optional<SimulationFileMap> files;
      PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
        files = repos.library.imported_simulation_files(workspace_id, row.id);
        return {};
      }));
      if (!files) continue;  // removed meanwhile
      simulation = parsed(row.id, row.slug, *files);
    }
    if (simulation) by_slug.insert_or_assign(row.slug, *simulation);
  }
  std::vector<Simulation> all;
  all.reserve(by_slug.size());
  for (auto& [slug, s] : by_slug) all.push_back(std::move(s));
  return std::make_shared<const SimulationLibrary>(std::move(all));
}

Result<WorkspaceLibrary> LibraryCatalogue::for_workspace(Store& store, std::int64_t workspace_id) {
  std::vector<ImportedSimulationRow> rows;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    rows = repos.library.imported_simulations(workspace_id);
    return {};
  }));
  WorkspaceLibrary out{shipped_, {}, shipped_.get()};
  if (rows.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  {
    MutexLock lock(mutex_);
    if (const auto it = by_workspace_.find(workspace_id);
        it != by_workspace_.end() && it->second.row_ids == ids) {
      out.library = it->second.library;
    }
  }
  if (out.library == shipped_) {
    out.library = PD_TRY(merge(store, workspace_id, rows));
    MutexLock lock(mutex_);
    by_workspace_[workspace_id] = {ids, out.library};
  }
  for (auto& row : rows) out.imported.emplace(row.slug, std::move(row));
  return out;
}

}  // namespace phishdrill::service
