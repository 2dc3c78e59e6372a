// Reading a tar archive held in memory, for importing training modules.
// Accepts ustar (POSIX and GNU magic), pax extended headers ('x': `path=`
// and `size=` are honoured, other records ignored; 'g' global headers are
// skipped) and GNU 'L' long names. Only regular files and directories are
// returned; every other entry type (hard or symbolic links, devices, FIFOs,
// sparse files...) refuses the whole archive, and so do unsafe names
// (absolute, "..", "." or empty components, backslashes, control
// characters), duplicates, bad checksums, a truncated archive or one missing
// its end marker (two zero blocks), and archives over the limits. A single
// leading "./" is stripped from names and the root entry "./" is dropped.
// Errors are kValidation with a message naming the entry. Pure function of
// its input; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct TarEntry {
  enum class Type { kFile, kDirectory };
  std::string path;  // relative, '/'-separated, no trailing '/'
  Type type = Type::kFile;
  std::string data;  // file contents; empty for directories
};

struct TarLimits {
  std::size_t max_entries = 200;                 // files and directories
  std::uint64_t max_unpacked_bytes = 20u << 20;  // sum of file sizes
};

// The entries in archive order.
Result<std::vector<TarEntry>> read_tar(std::string_view archive, const TarLimits& limits = {});

}  // namespace phishdrill
