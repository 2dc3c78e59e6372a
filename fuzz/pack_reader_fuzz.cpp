// Fuzzes reading a simulation pack (library/simulation_pack.h: gzip, tar and
// the folder rules) and loading its folders (parse_simulation). Invariants
// on success: 1 to 500 folders, each named by a slug and holding only the
// format's files; write_pack of the folders reads back to the same folders;
// and a folder that loads is written back (library/simulation_writer.h) as
// files that load to the same simulation.
#include "core/slug.h"
#include "fuzz_input.h"
#include "library/simulation_loader.h"
#include "library/simulation_pack.h"
#include "library/simulation_writer.h"
#include "training/content_files.h"

using phishdrill::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto folders = phishdrill::read_pack(phishdrill::fuzz::as_text(data, size));
  if (!folders) {
    check(!folders.error().message.empty(), "pack errors have a message");
    return 0;
  }
  check(!folders->empty() && folders->size() <= phishdrill::kMaxPackSimulations,
        "a pack holds 1 to 500 folders");
  for (const auto& folder : *folders) {
    check(phishdrill::is_slug(folder.slug), "folders are named by slugs");
    for (const auto& [path, content] : folder.files) {
      check(phishdrill::check_simulation_file_name(folder.slug, path).has_value(),
            "folders hold only the format's files");
    }
  }
  const auto again = phishdrill::read_pack(phishdrill::write_pack(*folders, 0));
  check(again.has_value() && *again == *folders, "a written pack reads back the same");
  for (const auto& folder : *folders) {
    const auto simulation = phishdrill::parse_simulation(folder);
    if (!simulation) continue;
    const auto written = phishdrill::parse_simulation(phishdrill::simulation_files(*simulation));
    check(written.has_value() && *written == *simulation,
          "a simulation written back loads the same");
  }
  return 0;
}
