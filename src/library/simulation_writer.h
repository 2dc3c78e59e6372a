// Writing a simulation back as its folder's files (the format:
// content/simulations/README.md): the inverse of parse_simulation, so
// parse_simulation(simulation_files(s)) gives `s` back for any simulation
// that loaded. Used to export simulations and templates as packs. Pure;
// thread-safe.
#pragma once

#include "library/simulation.h"
#include "library/simulation_files.h"

namespace phishdrill {

SimulationFiles simulation_files(const Simulation& simulation);

// The manifest's name for an attachment's file: its shown name made into a
// slug (letters, digits, hyphens) keeping its extension, e.g.
// "Invoice 2291.html" -> "invoice-2291.html"; "attachment-<n>.html" when
// nothing of it is left.
std::string attachment_file_name(std::string_view shown_name, std::size_t index);

}  // namespace phishdrill
