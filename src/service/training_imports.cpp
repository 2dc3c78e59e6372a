#include "service/training_imports.h"

#include <spdlog/spdlog.h>

#include <map>
#include <utility>

#include "service/audit.h"
#include "training/folder_tar.h"

namespace phishdrill::service {
namespace {

// The largest module archive kept (the import's own limit is 20 MiB unpacked).
constexpr std::uint64_t kMaxArchiveBytes = 24u << 20;

using Key = std::pair<std::int64_t, std::string>;  // workspace, slug

Result<std::vector<TrainingImportRow>> stored_imports(Store& store) {
  std::vector<TrainingImportRow> rows;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    rows = repos.training_imports.training_imports();
    return {};
  }));
  return rows;
}

}  // namespace

Result<void> record_training_import(Store& store, const Caller& caller,
                                    const TrainingModule& module, std::string_view archive,
                                    std::int64_t now) {
  return store.write([&](Repositories& repos) -> Result<void> {
    repos.training_imports.put_training_import(
        {0, caller.workspace_id, module.slug, module.version, now}, std::string(archive));
    repos.notices.announce(ChangeTopic::kTrainingModules);
    audit(repos, caller, now, "training_module.import", "training_module", 0,
          {{"slug", module.slug}, {"version", module.version}});
    return {};
  });
}

Result<int> sync_training_imports(Store& store, TrainingCatalogue& catalogue) {
  int installed = 0;
  for (const auto& row : PD_TRY(stored_imports(store))) {
    const auto current = catalogue.find(row.workspace_id, row.slug);
    if (current && current->version >= row.version) continue;
    std::optional<std::string> archive;
    PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
      archive = repos.training_imports.training_import_archive(row.id);
      return {};
    }));
    if (!archive) continue;  // replaced meanwhile: the next run sees the new row
    if (auto imported = catalogue.import_tar(row.workspace_id, *archive); !imported) {
      if (imported.error().code == ErrorCode::kConflict) continue;  // installed meanwhile
      spdlog::warn("event=training_import_not_installed workspace={} slug={} message={}",
                   row.workspace_id, row.slug, imported.error().message);
      continue;
    }
    ++installed;
  }
  return installed;
}

Result<int> publish_local_training_imports(Store& store, TrainingCatalogue& catalogue,
                                           std::int64_t now) {
  std::map<Key, int> stored;
  for (const auto& row : PD_TRY(stored_imports(store))) {
    stored[{row.workspace_id, row.slug}] = row.version;
  }
  int published = 0;
  for (const auto& local : catalogue.imported_folders()) {
    const auto it = stored.find({local.workspace_id, local.slug});
    if (it != stored.end() && it->second >= local.version) continue;
    auto archive = tar_folder(local.folder, kMaxArchiveBytes);
    if (!archive) {
      spdlog::warn("event=training_import_not_published workspace={} slug={} message={}",
                   local.workspace_id, local.slug, archive.error().message);
      continue;
    }
    PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
      repos.training_imports.put_training_import(
          {0, local.workspace_id, local.slug, local.version, now}, *archive);
      repos.notices.announce(ChangeTopic::kTrainingModules);
      return {};
    }));
    ++published;
  }
  return published;
}

void TrainingImportSync::start() {
  if (auto published = publish_local_training_imports(store_, catalogue_, clock_.now());
      !published) {
    spdlog::warn("event=training_imports_publish_failed message={}", published.error().message);
  } else if (*published > 0) {
    spdlog::info("event=training_imports_published modules={}", *published);
  }
  seen_.reset();
  run_if_changed();
}

void TrainingImportSync::run_if_changed() {
  const std::uint64_t now = store_.generations().current(ChangeTopic::kTrainingModules);
  if (now == seen_) return;
  auto installed = sync_training_imports(store_, catalogue_);
  if (!installed) {
    spdlog::warn("event=training_imports_sync_failed message={}", installed.error().message);
    return;  // tried again on the next run
  }
  seen_ = now;
  if (*installed > 0) spdlog::info("event=training_imports_installed modules={}", *installed);
}

}  // namespace phishdrill::service
