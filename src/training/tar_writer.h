// Writing a tar archive in memory (POSIX ustar, as training/tar_reader.h
// reads and GNU tar extracts): regular files only, mode 0644, owner 0:0,
// all stamped `mtime`, in the order given. A path too long for ustar's
// name and prefix fields gets a pax extended header. The same input gives
// the same bytes. Paths must be relative and '/'-separated (the caller's
// to check). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "training/tar_reader.h"

namespace phishdrill {

std::string write_tar(const std::vector<TarEntry>& files, std::int64_t mtime);

}  // namespace phishdrill
