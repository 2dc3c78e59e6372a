// Importing, removing and exporting packs of simulations
// (library/simulation_pack.h) in a workspace, the imports stored through
// the LibraryRepository port and seen through a LibraryCatalogue
// (service/library/workspace_library.h).
//  - import_pack (admin): every simulation in the pack is checked by the
//    library's rules, then all are stored in one transaction or none is. A
//    simulation the workspace already sees as it is (the same once parsed,
//    however its files are laid out) is "unchanged"; else a slug already
//    imported is replaced when the pack's version is higher ("updated"),
//    and a shipped slug is replaced for this workspace when the pack's
//    version is higher ("added"); any other clash is kConflict. Audited as
//    library.import.
//  - remove_imported_simulation (admin): kNotFound when the workspace has no
//    such import, kConflict for a shipped simulation. Audited as
//    library.delete.
//  - export_pack (operator): library simulations (an import exactly as
//    stored, a shipped one as written by library/simulation_writer.h) and
//    the workspace's templates (service/library/template_as_simulation.h,
//    with the premise answers that rate them in the workspace), each
//    checked by parse_simulation so what is exported imports; a folder name
//    used twice gets "-2", "-3"... Unknown slugs, templates or pages are
//    kNotFound; 1 to 500 items. Not audited (it changes nothing).
// Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "service/library/workspace_library.h"
#include "service/phish_scale/rate_templates.h"
#include "store/store.h"

namespace phishdrill::service {

struct PackOutcome {
  std::string slug;
  std::string title;
  int version = 0;
  std::string outcome;  // "added", "updated", "unchanged"
};

Result<std::vector<PackOutcome>> import_pack(Store& store, LibraryCatalogue& catalogue,
                                             const Caller& caller, std::string_view archive,
                                             std::int64_t now);

Result<void> remove_imported_simulation(Store& store, LibraryCatalogue& catalogue,
                                        const Caller& caller, const std::string& slug,
                                        std::int64_t now);

struct TemplateChoice {
  std::int64_t template_id = 0;
  std::optional<std::int64_t> landing_page_id;
  std::optional<std::string> slug;
};

struct ExportRequest {
  std::vector<std::string> simulations;
  std::vector<TemplateChoice> templates;
};

// The pack's bytes (a gzip-compressed tar).
Result<std::string> export_pack(Store& store, LibraryCatalogue& catalogue,
                                const SpellCheckers* spellers, const Caller& caller,
                                const ExportRequest& request, std::int64_t now);

}  // namespace phishdrill::service
