#include "service/library/simulation_packs.h"

#include <fmt/format.h>

#include <set>

#include "core/slug.h"
#include "library/simulation_loader.h"
#include "library/simulation_pack.h"
#include "library/simulation_writer.h"
#include "service/audit.h"
#include "service/library/template_as_simulation.h"
#include "service/require_role.h"
#include "training/content_files.h"

namespace phishdrill::service {
namespace {

struct Checked {
  SimulationFiles files;
  Simulation simulation;
};

Result<std::vector<Checked>> check_pack(std::string_view archive) {
  std::vector<Checked> out;
  for (auto& folder : PD_TRY(read_pack(archive))) {
    Simulation simulation = PD_TRY(parse_simulation(folder));
    out.push_back({std::move(folder), std::move(simulation)});
  }
  return out;
}

// What importing `pack` does to one slug, given what the workspace has.
Result<std::string> import_outcome(Repositories& repos, const Caller& caller,
                                   const SimulationLibrary& shipped,
                                   const ImportedSimulationRow* row, const Checked& pack) {
  const Simulation& s = pack.simulation;
  if (row != nullptr) {
    if (s.version > row->version) return std::string("updated");
    const auto stored = repos.library.imported_simulation_files(caller.workspace_id, row->id);
    if (stored && parse_simulation({s.slug, *stored, s.slug}) == s) {
      return std::string("unchanged");
    }
    return fail(ErrorCode::kConflict,
                fmt::format("{}: version {} is already imported with other files; raise version "
                            "above {} to replace it",
                            s.slug, row->version, row->version),
                "slug");
  }
  const Simulation* original = shipped.find(s.slug);
  if (original != nullptr && *original == s) return std::string("unchanged");
  if (original != nullptr && s.version <= original->version) {
    return fail(ErrorCode::kConflict,
                fmt::format("{}: a shipped simulation has this slug at version {}; raise version "
                            "above {} to replace it in this workspace, or rename the folder",
                            s.slug, original->version, original->version),
                "slug");
  }
  return std::string("added");
}

// `base`, or base-2, base-3... not yet in `taken` (each at most 64 characters).
std::string unique_slug(const std::string& base, std::set<std::string>& taken) {
  std::string slug = base;
  for (int n = 2; taken.contains(slug); ++n) {
    const std::string suffix = fmt::format("-{}", n);
    slug = slug_of(base.substr(0, 64 - suffix.size())) + suffix;
  }
  taken.insert(slug);
  return slug;
}

// `result`, its error naming the request's item at fault (e.g. "templates[2]").
template <typename T>
Result<T> for_item(Result<T> result, const std::string& field) {
  if (!result) result.error().field = field;
  return result;
}

std::string item(std::string_view list, std::size_t index, std::string_view key = {}) {
  return key.empty() ? fmt::format("{}[{}]", list, index)
                     : fmt::format("{}[{}].{}", list, index, key);
}

Result<std::string> template_slug(const EmailTemplate& tmpl, const TemplateChoice& choice) {
  if (choice.slug) {
    if (!is_slug(*choice.slug)) {
      return fail(ErrorCode::kValidation,
                  fmt::format("\"{}\" is not a folder name: lowercase letters, digits and hyphens, "
                              "1 to 64 characters",
                              *choice.slug),
                  "templates");
    }
    return *choice.slug;
  }
  std::string slug = slug_of(tmpl.name);
  return slug.empty() ? fmt::format("template-{}", tmpl.id) : slug;
}

struct LoadedTemplate {
  EmailTemplate tmpl;
  std::optional<LandingPage> page;
};

Result<std::vector<LoadedTemplate>> load_templates(Store& store, std::int64_t workspace_id,
                                                   const std::vector<TemplateChoice>& choices) {
  std::vector<LoadedTemplate> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    for (std::size_t i = 0; i < choices.size(); ++i) {
      const TemplateChoice& choice = choices[i];
      auto tmpl = repos.templates.find_template(workspace_id, choice.template_id);
      if (!tmpl) {
        return fail(ErrorCode::kNotFound, fmt::format("no template {}", choice.template_id),
                    item("templates", i, "template_id"));
      }
      LoadedTemplate loaded{std::move(*tmpl), std::nullopt};
      if (choice.landing_page_id) {
        loaded.page = repos.pages.find_page(workspace_id, *choice.landing_page_id);
        if (!loaded.page) {
          return fail(ErrorCode::kNotFound,
                      fmt::format("no landing page {}", *choice.landing_page_id),
                      item("templates", i, "landing_page_id"));
        }
      }
      out.push_back(std::move(loaded));
    }
    return {};
  }));
  return out;
}

Result<SimulationFiles> library_folder(Store& store, const WorkspaceLibrary& library,
                                       std::int64_t workspace_id, const std::string& slug) {
  const Simulation* s = library.library->find(slug);
  if (s == nullptr) {
    return fail(ErrorCode::kNotFound, fmt::format("no simulation \"{}\"", slug), "simulations");
  }
  if (const auto* row = library.import_of(slug)) {
    std::optional<SimulationFileMap> files;
    PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
      files = repos.library.imported_simulation_files(workspace_id, row->id);
      return {};
    }));
    if (files) return SimulationFiles{slug, std::move(*files), slug};
  }
  return simulation_files(*s);
}

}  // namespace

Result<std::vector<PackOutcome>> import_pack(Store& store, LibraryCatalogue& catalogue,
                                             const Caller& caller, std::string_view archive,
                                             std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  const std::vector<Checked> pack = PD_TRY(check_pack(archive));
  std::vector<PackOutcome> outcomes;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    outcomes.clear();
    std::map<std::string, ImportedSimulationRow> rows;
    for (auto& row : repos.library.imported_simulations(caller.workspace_id)) {
      rows.emplace(row.slug, std::move(row));
    }
    boost::json::array slugs;
    for (const auto& item : pack) {
      const Simulation& s = item.simulation;
      const auto it = rows.find(s.slug);
      std::string outcome = PD_TRY(import_outcome(repos, caller, catalogue.shipped(),
                                                  it == rows.end() ? nullptr : &it->second, item));
      if (outcome != "unchanged") {  // the same simulation, maybe written differently
        repos.library.put_imported_simulation(caller.workspace_id, {0, s.slug, s.version, now},
                                              item.files.files);
        slugs.emplace_back(s.slug);
      }
      outcomes.push_back({s.slug, s.title, s.version, std::move(outcome)});
    }
    audit(repos, caller, now, "library.import", "library", 0,
          {{"simulations", std::move(slugs)}, {"in_pack", pack.size()}});
    return {};
  }));
  return outcomes;
}

Result<void> remove_imported_simulation(Store& store, LibraryCatalogue& catalogue,
                                        const Caller& caller, const std::string& slug,
                                        std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.library.delete_imported_simulation(caller.workspace_id, slug)) {
      if (catalogue.shipped().find(slug) != nullptr) {
        return fail(ErrorCode::kConflict, "a shipped simulation cannot be removed", "slug");
      }
      return not_found();
    }
    audit(repos, caller, now, "library.delete", "library", 0, {{"slug", slug}});
    return {};
  });
}

Result<std::string> export_pack(Store& store, LibraryCatalogue& catalogue,
                                const SpellCheckers* spellers, const Caller& caller,
                                const ExportRequest& request, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kOperator));
  const std::size_t count = request.simulations.size() + request.templates.size();
  if (count == 0 || count > kMaxPackSimulations) {
    return fail(ErrorCode::kValidation,
                fmt::format("export 1 to {} simulations and templates", kMaxPackSimulations),
                "simulations");
  }
  const WorkspaceLibrary library = PD_TRY(catalogue.for_workspace(store, caller.workspace_id));
  std::vector<SimulationFiles> folders;
  std::set<std::string> taken;
  for (std::size_t i = 0; i < request.simulations.size(); ++i) {
    const std::string& slug = request.simulations[i];
    if (taken.contains(slug)) continue;
    folders.push_back(PD_TRY(for_item(library_folder(store, library, caller.workspace_id, slug),
                                      item("simulations", i))));
    taken.insert(slug);
  }
  const auto templates = PD_TRY(load_templates(store, caller.workspace_id, request.templates));
  const ScaleContext scale =
      PD_TRY(scale_context(store, caller.workspace_id, library.library, spellers));
  for (std::size_t i = 0; i < templates.size(); ++i) {
    const auto& [tmpl, page] = templates[i];
    const std::string slug =
        PD_TRY(for_item(template_slug(tmpl, request.templates[i]), item("templates", i, "slug")));
    TemplateExport source{&tmpl,
                          page ? &*page : nullptr,
                          unique_slug(slug, taken),
                          language_of(tmpl, scale),
                          premise_for(tmpl.phish_scale, scale).ratings,
                          scale.branding};
    SimulationFiles files =
        simulation_files(PD_TRY(for_item(template_as_simulation(source), item("templates", i))));
    if (auto checked = parse_simulation(files); !checked) {
      return fail(ErrorCode::kValidation,
                  fmt::format("template \"{}\" cannot be a library simulation: {}", tmpl.name,
                              checked.error().message),
                  item("templates", i));
    }
    folders.push_back(std::move(files));
  }
  return write_pack(folders, now);
}

}  // namespace phishdrill::service
