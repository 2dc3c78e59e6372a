// A pack: simulation folders in one tar archive, plain or gzip-compressed
// (what `tar -czf pack.tar.gz -C my-pack .` makes), for organisations to
// import their own simulations and export theirs.
//  - read_pack: the folders in the archive, by slug. The archive holds one
//    folder per simulation at its root, or inside one folder wrapping them
//    all. Refused (kValidation, naming the entry): what training/
//    tar_reader.h refuses (links, devices, absolute or ".." paths...), more
//    than 2,000 entries, 20 MiB unpacked (gzip included), 500
//    simulations, files at the root, files the format does not have
//    (library/simulation_files.h) or an empty pack. The folders are not yet
//    checked as simulations (parse_simulation does that).
//  - write_pack: the folders as a gzip-compressed tar ("<slug>/<file>"),
//    stamped `mtime`; read_pack reads it back.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "library/simulation_files.h"

namespace phishdrill {

constexpr std::size_t kMaxPackSimulations = 500;

Result<std::vector<SimulationFiles>> read_pack(std::string_view archive);
std::string write_pack(const std::vector<SimulationFiles>& folders, std::int64_t mtime);

}  // namespace phishdrill
