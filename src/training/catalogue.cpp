#include "training/catalogue.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>  // renameat2 (glibc, _GNU_SOURCE)
#include <stdlib.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>

#include "core/slug.h"
#include "training/content_files.h"
#include "training/module_loader.h"
#include "training/tar_reader.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

// The workspace a folder in the imported root belongs to: its name is the
// workspace id.
std::optional<std::int64_t> workspace_id_of(std::string_view name) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  if (ec != std::errc() || end != name.data() + name.size() || id <= 0) return std::nullopt;
  return id;
}

std::unexpected<Error> refused(std::string message) {
  return fail(ErrorCode::kValidation, std::move(message));
}

std::unexpected<Error> internal(std::string_view what, const fs::path& path, int error) {
  return fail(ErrorCode::kInternal,
              fmt::format("{} {}: {}", what, path.string(), std::strerror(error)));
}

// A folder, deleted with everything in it when the guard goes.
class TempFolder {
 public:
  explicit TempFolder(fs::path path) : path_(std::move(path)) {}
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Result<void> sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return internal("cannot open", path, errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return internal("cannot sync", path, error);
  return {};
}

// Written and synced before the rename, so a crash never leaves a renamed
// folder with empty files in it.
Result<void> write_file(const fs::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return internal("cannot create", path, errno);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      return internal("cannot write", path, error);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return internal("cannot sync", path, error);
  return {};
}

// Where the module sits in the archive: "" (files at the root) or "<slug>/".
struct Layout {
  std::string prefix;
  std::string slug;
};

Result<Layout> find_layout(const std::vector<TarEntry>& entries) {
  const TarEntry* manifest = nullptr;
  std::optional<std::string> top;  // the single top-level folder, if any
  bool files_at_root = false;
  for (const auto& entry : entries) {
    const auto slash = entry.path.find('/');
    const std::string first = entry.path.substr(0, slash);
    if (slash == std::string::npos && entry.type == TarEntry::Type::kFile) files_at_root = true;
    if (!top) top = first;
    if (*top != first) top = "";  // more than one top-level name
    if (entry.path == "module.toml" && entry.type == TarEntry::Type::kFile) manifest = &entry;
  }
  Layout layout;
  if (manifest == nullptr && !files_at_root && top && !top->empty()) {
    layout.prefix = *top + "/";
    for (const auto& entry : entries) {
      if (entry.path == layout.prefix + "module.toml") manifest = &entry;
    }
  }
  if (manifest == nullptr) {
    return refused(
        "archive: module.toml must be at the root of the archive or inside one top-level folder");
  }
  try {
    const auto table =
        toml::parse(std::string_view(manifest->data), std::string_view("module.toml"));
    layout.slug = table["slug"].value_or(std::string());
  } catch (const toml::parse_error& e) {
    return refused(
        fmt::format("module.toml: {} (line {})", e.description(), e.source().begin.line));
  }
  if (!is_slug(layout.slug)) {
    return refused("module.toml: slug must be set (lowercase letters, digits, hyphens)");
  }
  if (!layout.prefix.empty() && layout.prefix != layout.slug + "/") {
    return refused(
        fmt::format("archive: the top-level folder \"{}\" must be named after the slug "
                    "\"{}\"",
                    layout.prefix.substr(0, layout.prefix.size() - 1), layout.slug));
  }
  return layout;
}

// Load errors name the temporary folder; the importer knows the module by slug.
Error relabel(Error error, const fs::path& folder, std::string_view slug) {
  const std::string from = folder.string();
  for (auto at = error.message.find(from); at != std::string::npos;
       at = error.message.find(from, at + slug.size())) {
    error.message.replace(at, from.size(), slug);
  }
  return error;
}

// Swaps `from` into `to`; a folder already at `to` ends up at `from`.
Result<void> replace_folder(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(to, ec))) {
    if (::rename(from.c_str(), to.c_str()) != 0) return internal("cannot rename to", to, errno);
    return {};
  }
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_EXCHANGE) == 0) return {};
  // Filesystems without RENAME_EXCHANGE: move the old copy aside, then in.
  const fs::path aside = from.parent_path() / ".replaced";
  if (::rename(to.c_str(), aside.c_str()) != 0) return internal("cannot move aside", to, errno);
  if (::rename(from.c_str(), to.c_str()) != 0) {
    const int error = errno;
    ::rename(aside.c_str(), to.c_str());
    return internal("cannot rename to", to, error);
  }
  return {};
}

}  // namespace

TrainingCatalogue::TrainingCatalogue(fs::path shipped, fs::path imported)
    : shipped_(std::move(shipped)),
      imported_(std::move(imported)),
      shipped_snapshot_(std::make_shared<const ModuleList>()) {}

fs::path TrainingCatalogue::workspace_folder(std::int64_t workspace_id) const {
  return imported_ / std::to_string(workspace_id);
}

Result<std::vector<std::string>> TrainingCatalogue::adopt_unowned_imports(
    std::int64_t workspace_id) {
  MutexLock import_lock(import_mutex_);
  std::vector<std::string> moved;
  std::error_code ec;
  if (!fs::is_directory(imported_, ec)) return moved;
  const fs::path owner = workspace_folder(workspace_id);
  for (const auto& entry : fs::directory_iterator(imported_, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !is_slug(name) || workspace_id_of(name) ||
        !fs::exists(entry.path() / "module.toml")) {
      continue;
    }
    fs::create_directories(owner, ec);
    if (ec) return fail(ErrorCode::kInternal, fmt::format("{}: {}", owner.string(), ec.message()));
    if (fs::exists(owner / name)) continue;
    if (::rename(entry.path().c_str(), (owner / name).c_str()) != 0) {
      return internal("cannot move", entry.path(), errno);
    }
    moved.push_back(name);
  }
  if (ec)
    return fail(ErrorCode::kInternal, fmt::format("{}: {}", imported_.string(), ec.message()));
  return moved;
}

Result<void> TrainingCatalogue::load() {
  MutexLock import_lock(import_mutex_);
  return load_locked();
}

Result<void> TrainingCatalogue::load_locked() {
  std::optional<Error> first_error;
  auto load_folder = [&](const fs::path& root, ModuleList& kept) {
    auto loaded = load_modules(root);
    if (!loaded) {
      if (!first_error) first_error = loaded.error();
      return;
    }
    kept = std::move(*loaded);
  };
  std::error_code ec;
  if (fs::exists(shipped_, ec)) {
    load_folder(shipped_, shipped_modules_);
  } else {
    shipped_modules_.clear();
  }
  std::map<std::int64_t, ModuleList> imported;
  if (fs::is_directory(imported_, ec)) {
    for (const auto& entry : fs::directory_iterator(imported_, ec)) {
      const auto workspace = workspace_id_of(entry.path().filename().string());
      if (!workspace || !entry.is_directory()) continue;
      auto& kept = imported[*workspace];
      if (auto it = imported_modules_.find(*workspace); it != imported_modules_.end()) {
        kept = std::move(it->second);
      }
      load_folder(entry.path(), kept);
    }
  }
  imported_modules_ = std::move(imported);
  loaded_ = true;
  publish_locked();
  if (first_error) return std::unexpected(std::move(*first_error));
  return {};
}

void TrainingCatalogue::publish_locked() {
  auto merge = [this](const ModuleList* own) PD_REQUIRES(import_mutex_) {
    std::map<std::string_view, const TrainingModule*> merged;
    for (const auto& m : shipped_modules_) merged[m.slug] = &m;
    static const ModuleList kNone;
    for (const auto& m : own != nullptr ? *own : kNone) {
      auto& slot = merged[m.slug];
      // A lower or equal version is an old import the shipped content caught up with.
      if (slot == nullptr || m.version > slot->version) slot = &m;
    }
    auto list = std::make_shared<ModuleList>();
    list->reserve(merged.size());
    for (const auto& [slug, m] : merged) list->push_back(*m);  // map order = slug order
    return std::shared_ptr<const ModuleList>(std::move(list));
  };
  auto shipped = merge(nullptr);
  Snapshots snapshots;
  for (const auto& [workspace, own] : imported_modules_) {
    if (!own.empty()) snapshots[workspace] = merge(&own);
  }
  MutexLock lock(mutex_);
  shipped_snapshot_ = std::move(shipped);
  snapshots_ = std::move(snapshots);
}

std::shared_ptr<const ModuleList> TrainingCatalogue::modules(std::int64_t workspace_id) const {
  MutexLock lock(mutex_);
  const auto it = snapshots_.find(workspace_id);
  return it != snapshots_.end() ? it->second : shipped_snapshot_;
}

std::shared_ptr<const TrainingModule> TrainingCatalogue::find(std::int64_t workspace_id,
                                                              std::string_view slug) const {
  auto list = modules(workspace_id);
  const auto it = std::lower_bound(
      list->begin(), list->end(), slug,
      [](const TrainingModule& m, std::string_view s) { return std::string_view(m.slug) < s; });
  if (it == list->end() || it->slug != slug) return nullptr;
  return std::shared_ptr<const TrainingModule>(list, &*it);  // keeps the snapshot alive
}

std::vector<TrainingCatalogue::ImportedFolder> TrainingCatalogue::imported_folders() {
  MutexLock import_lock(import_mutex_);
  std::vector<ImportedFolder> out;
  for (const auto& [workspace_id, modules] : imported_modules_) {
    for (const auto& m : modules) {
      out.push_back({workspace_id, m.slug, m.version, workspace_folder(workspace_id) / m.slug});
    }
  }
  return out;
}

Result<TrainingModule> TrainingCatalogue::import_tar(std::int64_t workspace_id,
                                                     std::string_view archive) {
  auto entries = read_tar(archive);
  if (!entries) return std::unexpected(entries.error());
  auto layout = find_layout(*entries);
  if (!layout) return std::unexpected(layout.error());

  MutexLock import_lock(import_mutex_);
  if (!loaded_) (void)load_locked();  // what failed to load stays out, as in load()
  const auto current = find(workspace_id, layout->slug);
  const fs::path own = workspace_folder(workspace_id);
  std::error_code ec;
  fs::create_directories(own, ec);
  if (ec) return fail(ErrorCode::kInternal, fmt::format("{}: {}", own.string(), ec.message()));

  std::string pattern = (own / ".incoming-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return internal("cannot create", pattern, errno);
  const TempFolder temp{fs::path(pattern)};
  const fs::path folder = temp.path() / layout->slug;
  fs::create_directory(folder, ec);
  if (ec) return fail(ErrorCode::kInternal, fmt::format("{}: {}", folder.string(), ec.message()));
  for (const auto& entry : *entries) {
    if (!entry.path.starts_with(layout->prefix) || entry.path.size() == layout->prefix.size()) {
      continue;  // the top-level folder itself
    }
    const fs::path target = folder / entry.path.substr(layout->prefix.size());
    fs::create_directories(entry.type == TarEntry::Type::kDirectory ? target : target.parent_path(),
                           ec);
    if (ec) return fail(ErrorCode::kInternal, fmt::format("{}: {}", target.string(), ec.message()));
    if (entry.type == TarEntry::Type::kFile) {
      if (auto ok = write_file(target, entry.data); !ok) return std::unexpected(ok.error());
    }
  }

  auto module = load_module(folder);
  if (!module) return std::unexpected(relabel(module.error(), folder, layout->slug));
  int installed = current ? current->version : 0;
  const fs::path target = own / layout->slug;
  if (fs::exists(fs::symlink_status(target, ec))) {
    // Normally in the snapshot already, unless the imported folder failed to load.
    if (auto on_disk = load_module(target)) installed = std::max(installed, on_disk->version);
  }
  if (installed >= module->version) {
    return fail(ErrorCode::kConflict,
                fmt::format("module {} version {} is already installed; raise `version` in "
                            "module.toml to replace it",
                            module->slug, installed));
  }

  if (auto ok = replace_folder(folder, target); !ok) return std::unexpected(ok.error());
  if (auto ok = sync_path(own, O_DIRECTORY); !ok) return std::unexpected(ok.error());
  if (auto ok = sync_path(imported_, O_DIRECTORY); !ok) return std::unexpected(ok.error());

  // Readers holding the old snapshot keep it until they let go.
  auto& imports = imported_modules_[workspace_id];
  std::erase_if(imports, [&](const TrainingModule& m) { return m.slug == module->slug; });
  imports.push_back(*module);
  publish_locked();
  return module;
}

}  // namespace phishdrill
