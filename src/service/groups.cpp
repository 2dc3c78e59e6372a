#include "service/groups.h"

#include "service/audit.h"
#include "service/owned_resources.h"

namespace phishdrill::service {
namespace {

// Upserts `targets` and makes them members of `group_id`; how many there were.
std::int64_t add_targets(Repositories& repos, std::int64_t workspace_id, std::int64_t group_id,
                         const std::vector<TargetFields>& targets, std::int64_t now) {
  const auto stats = repos.groups.upsert_targets(workspace_id, targets, now);
  repos.groups.add_members(group_id, stats.target_ids);
  return static_cast<std::int64_t>(stats.target_ids.size());
}

Result<Group> existing_group(Repositories& repos, std::int64_t workspace_id, std::int64_t id) {
  auto group = repos.groups.find_group(workspace_id, id);
  if (!group) return not_found();
  return std::move(*group);
}

}  // namespace

Result<Page<Group>> list_groups(Store& store, std::int64_t workspace_id, PageRequest page) {
  return list_owned([](Repositories& repos, std::int64_t ws, PageRequest request) {
    return repos.groups.list_groups(ws, request);
  })(store, workspace_id, page);
}

Result<Group> find_group(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t group_id) {
    return repos.groups.find_group(ws, group_id);
  })(store, workspace_id, id);
}

Result<Page<Target>> list_group_targets(Store& store, std::int64_t workspace_id,
                                        std::int64_t group_id, PageRequest page) {
  Page<Target> members;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    PD_TRY(existing_group(repos, workspace_id, group_id));
    members = repos.groups.list_members(group_id, page);
    return {};
  }));
  return members;
}

Result<Group> create_group(Store& store, const Caller& caller, std::int64_t now,
                           const std::string& name,
                           const std::optional<std::vector<TargetFields>>& targets) {
  Group created;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const Group group = PD_TRY(repos.groups.create_group(caller.workspace_id, name, now));
    const std::int64_t count =
        targets ? add_targets(repos, caller.workspace_id, group.id, *targets, now) : 0;
    audit(repos, caller, now, "group.create", "group", group.id,
          {{"name", name}, {"targets", count}});
    created = PD_TRY(existing_group(repos, caller.workspace_id, group.id));
    return {};
  }));
  return created;
}

Result<Group> update_group(Store& store, const Caller& caller, std::int64_t now, std::int64_t id,
                           const GroupChange& change) {
  Group updated;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const Group group = PD_TRY(existing_group(repos, caller.workspace_id, id));
    const std::string name = PD_TRY(validate_group_name(change.name.value_or(group.name)));
    PD_TRY(repos.groups.rename_group(caller.workspace_id, id, name, now));
    boost::json::object details{{"name", name}};
    if (change.targets) {
      repos.groups.clear_members(id);
      details["targets"] = add_targets(repos, caller.workspace_id, id, *change.targets, now);
    }
    audit(repos, caller, now, "group.update", "group", id, details);
    updated = PD_TRY(existing_group(repos, caller.workspace_id, id));
    return {};
  }));
  return updated;
}

Result<void> delete_group(Store& store, const Caller& caller, std::int64_t now, std::int64_t id) {
  return store.write([&](Repositories& repos) -> Result<void> {
    const Group group = PD_TRY(existing_group(repos, caller.workspace_id, id));
    repos.groups.delete_group(caller.workspace_id, id);
    audit(repos, caller, now, "group.delete", "group", id, {{"name", group.name}});
    return {};
  });
}

Result<Group> add_group_targets(Store& store, const Caller& caller, std::int64_t now,
                                std::int64_t id, const std::vector<TargetFields>& targets) {
  Group updated;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    PD_TRY(existing_group(repos, caller.workspace_id, id));
    const std::int64_t count = add_targets(repos, caller.workspace_id, id, targets, now);
    repos.groups.touch_group(id, now);
    audit(repos, caller, now, "group.add_targets", "group", id, {{"targets", count}});
    updated = PD_TRY(existing_group(repos, caller.workspace_id, id));
    return {};
  }));
  return updated;
}

Result<void> remove_group_target(Store& store, const Caller& caller, std::int64_t now,
                                 std::int64_t id, std::int64_t target_id) {
  return store.write([&](Repositories& repos) -> Result<void> {
    PD_TRY(existing_group(repos, caller.workspace_id, id));
    if (!repos.groups.remove_member(id, target_id)) return not_found();
    repos.groups.touch_group(id, now);
    audit(repos, caller, now, "group.remove_target", "group", id, {{"target_id", target_id}});
    return {};
  });
}

}  // namespace phishdrill::service
