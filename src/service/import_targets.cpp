#include "service/import_targets.h"

#include "core/target_csv.h"
#include "service/audit.h"
#include "service/owned_resources.h"

namespace phishdrill::service {
namespace {

// The group the rows go into: created now, or an existing one of the workspace.
Result<std::int64_t> import_group(Repositories& repos, std::int64_t workspace_id,
                                  const ImportInto& into, std::int64_t now) {
  if (into.group_id == 0) {
    const Group created = PD_TRY(repos.groups.create_group(workspace_id, into.new_group_name, now));
    return created.id;
  }
  if (!repos.groups.find_group(workspace_id, into.group_id)) return not_found();
  return into.group_id;
}

}  // namespace

Result<ImportOutcome> import_targets_csv(Store& store, const Caller& caller, std::int64_t now,
                                         const ImportInto& into, std::string_view csv) {
  TargetImport parsed = PD_TRY(parse_targets_csv(csv));
  ImportOutcome outcome;
  outcome.imported = static_cast<std::int64_t>(parsed.targets.size());
  outcome.warnings = std::move(parsed.warnings);
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const std::int64_t group_id = PD_TRY(import_group(repos, caller.workspace_id, into, now));
    const auto stats = repos.groups.upsert_targets(caller.workspace_id, parsed.targets, now);
    repos.groups.add_members(group_id, stats.target_ids);
    repos.groups.touch_group(group_id, now);
    outcome.created = stats.created;
    outcome.updated = stats.updated;
    audit(repos, caller, now, "group.import", "group", group_id,
          {{"rows", outcome.imported},
           {"created", stats.created},
           {"updated", stats.updated},
           {"warnings", static_cast<std::int64_t>(outcome.warnings.size())}});
    const auto group = repos.groups.find_group(caller.workspace_id, group_id);
    if (!group) return not_found();
    outcome.group = *group;
    return {};
  }));
  return outcome;
}

}  // namespace phishdrill::service
