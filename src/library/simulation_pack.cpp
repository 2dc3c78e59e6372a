#include "library/simulation_pack.h"

#include <fmt/format.h>

#include <map>

#include "core/slug.h"
#include "training/content_files.h"
#include "training/gzip.h"
#include "training/tar_reader.h"
#include "training/tar_writer.h"

namespace phishdrill {
namespace {

constexpr TarLimits kPackLimits{2000, 20u << 20};

std::unexpected<Error> refused(std::string_view problem) {
  return fail(ErrorCode::kValidation, fmt::format("pack: {}", problem));
}

// The folder wrapping every entry, when there is exactly one and the
// simulations are inside it ("my-pack/" of `tar -czf p.tgz my-pack`).
std::string wrapping_folder(const std::vector<TarEntry>& entries) {
  std::string top;
  for (const auto& e : entries) {
    const auto slash = e.path.find('/');
    if (slash == std::string::npos) {
      if (e.type == TarEntry::Type::kFile) return "";  // a file at the root
      if (!top.empty() && top != e.path) return "";
      top = e.path;
      continue;
    }
    const std::string first = e.path.substr(0, slash);
    if (!top.empty() && top != first) return "";
    top = first;
    if (e.path.substr(slash + 1) == "simulation.toml") return "";  // a simulation itself
  }
  return top;
}

Result<std::vector<TarEntry>> unpack(std::string_view archive) {
  if (archive.empty()) return refused("the archive is empty");
  if (!is_gzip(archive)) return read_tar(archive, kPackLimits);
  const std::string tar = PD_TRY(gunzip(archive, kPackLimits.max_unpacked_bytes));
  return read_tar(tar, kPackLimits);
}

}  // namespace

Result<std::vector<SimulationFiles>> read_pack(std::string_view archive) {
  std::vector<TarEntry> entries = PD_TRY(unpack(archive));
  const std::string wrapper = wrapping_folder(entries);
  std::map<std::string, SimulationFiles> folders;
  for (auto& entry : entries) {
    std::string path = entry.path;
    if (!wrapper.empty()) {
      if (path == wrapper) continue;
      path.erase(0, wrapper.size() + 1);
    }
    const auto slash = path.find('/');
    if (slash == std::string::npos) {
      if (entry.type == TarEntry::Type::kDirectory) {
        if (!is_slug(path)) {
          return invalid_content(path, "a simulation folder is named by its slug");
        }
        folders.try_emplace(path, SimulationFiles{path, {}, path});
        continue;
      }
      return invalid_content(path, "files belong in a simulation's folder, not at the root");
    }
    const std::string slug = path.substr(0, slash);
    const std::string inside = path.substr(slash + 1);
    if (!is_slug(slug)) return invalid_content(slug, "a simulation folder is named by its slug");
    auto& folder = folders.try_emplace(slug, SimulationFiles{slug, {}, slug}).first->second;
    if (entry.type == TarEntry::Type::kDirectory) {
      if (inside != "attachments") PD_TRY(check_simulation_file_name(slug, inside));
      continue;
    }
    PD_TRY(check_simulation_file_name(slug, inside));
    if (entry.data.size() > kMaxSimulationFileBytes) {
      return invalid_content(path, fmt::format("is over {} bytes", kMaxSimulationFileBytes));
    }
    folder.files.emplace(inside, std::move(entry.data));
  }
  if (folders.empty()) return refused("no simulation folders in the archive");
  if (folders.size() > kMaxPackSimulations) {
    return refused(fmt::format("more than {} simulations", kMaxPackSimulations));
  }
  std::vector<SimulationFiles> out;
  for (auto& [slug, folder] : folders) out.push_back(std::move(folder));
  return out;
}

std::string write_pack(const std::vector<SimulationFiles>& folders, std::int64_t mtime) {
  std::vector<TarEntry> entries;
  for (const auto& folder : folders) {
    for (const auto& [path, data] : folder.files) {
      entries.push_back({folder.slug + "/" + path, TarEntry::Type::kFile, data});
    }
  }
  return gzip(write_tar(entries, mtime));
}

}  // namespace phishdrill
