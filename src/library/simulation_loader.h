// Loading the simulation library from disk (the format:
// content/simulations/README.md). Every rule the README states that a
// program can check is checked, and a failure names the file and the
// problem, so a broken simulation never reaches a campaign:
//  - the manifest's words come from the library's vocabulary
//    (library/library_vocabulary.h), the slug is the folder name, lengths
//    hold;
//  - subject, sender, bodies, landing page and attachments compile in the
//    message template language once the library's own variables are
//    filled (with_library_values); both bodies carry {{.URL}}, the HTML ends
//    with {{.Tracker}}, {{.QRCode}} appears in (and only in) qr-code
//    simulations;
//  - no HTML (email, landing page, attachment) has a script, an event
//    handler, a javascript: URL or any http(s) address: every link is the
//    person's tracked link and nothing loads from elsewhere;
//  - a landing page posts its form back to itself;
//  - each red flag's text is found in the part it names; cue types and
//    premise answers are the Phish Scale's.
// Thread-safe (no state).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "library/simulation.h"
#include "library/simulation_files.h"

namespace phishdrill {

// The simulation in `files`, checked by every rule above; also refuses any
// file the format does not have (library/simulation_files.h).
Result<Simulation> parse_simulation(const SimulationFiles& files);
Result<Simulation> load_simulation(const std::filesystem::path& folder);

// Every simulation folder under `root`, sorted by slug; folders whose name
// starts with '.' or '_' are skipped. The first broken one fails the load.
Result<std::vector<Simulation>> load_simulations(const std::filesystem::path& root);

// The organisation a simulation is branded for.
struct LibraryValues {
  std::string org_name;    // e.g. "Riverside Health"
  std::string org_domain;  // e.g. "riverside-health.org"
  std::string qr_code;     // what {{.QRCode}} becomes (e.g. an <img>), HTML
};

// `text` with {{.OrgName}}, {{.OrgDomain}} and {{.QRCode}} filled; the
// message template's own variables stay for rendering per person.
std::string with_library_values(std::string_view text, const LibraryValues& values);

}  // namespace phishdrill
