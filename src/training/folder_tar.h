// A folder packed as a tar archive (training/tar_writer.h) under its own
// name ("<folder name>/<path>"), regular files only, sorted by path: what
// training/catalogue.h's import_tar takes back. Files over `max_bytes` in
// all, or anything but regular files and folders (links), are kValidation.
// Thread-safe (no state).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"

namespace phishdrill {

Result<std::string> tar_folder(const std::filesystem::path& folder, std::uint64_t max_bytes);

}  // namespace phishdrill
