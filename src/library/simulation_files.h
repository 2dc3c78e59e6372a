// A simulation folder's files held in memory: what the loader checks
// (library/simulation_loader.h), what a pack carries (library/
// simulation_pack.h) and what the store keeps of an imported simulation.
// The folder's name is the slug; files are keyed by their path inside it
// ('/'-separated: "simulation.toml", "email.html", "attachments/x.html").
// Only the format's files belong (content/simulations/README.md); anything
// else is refused by name, so a typo ("email.htm") is never silently
// ignored. Thread-safe (no state).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/error.h"

namespace phishdrill {

struct SimulationFiles {
  std::string slug;
  std::map<std::string, std::string, std::less<>> files;
  // Where the folder came from, for error messages ("<root>/<slug>", or
  // the slug alone for a pack).
  std::filesystem::path origin;

  const std::string* find(std::string_view path) const;
  bool operator==(const SimulationFiles& other) const { return files == other.files; }
};

constexpr std::size_t kMaxSimulationFileBytes = 256 * 1024;

// kValidation naming the file when `path` is not one of the format's files.
Result<void> check_simulation_file_name(const std::filesystem::path& origin, std::string_view path);

// Reads every file of the folder (its name is the slug), checking names and
// sizes; sub-folders other than attachments/ are refused.
Result<SimulationFiles> read_simulation_folder(const std::filesystem::path& folder);

}  // namespace phishdrill
