// Groups of targets: list and find them and their members, create one
// (optionally with targets), rename it or replace its members, add and remove
// members, delete it. Targets are upserted by email within the workspace.
// Each change is one transaction with its audit entry; another workspace's
// group behaves as unknown (kNotFound); names are unique per workspace
// (kConflict, field "name"). Targets arrive validated (validate_target), and
// so does a new group's name (validate_group_name).
// Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/group.h"
#include "core/target.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

Result<Page<Group>> list_groups(Store& store, std::int64_t workspace_id, PageRequest page);
Result<Group> find_group(Store& store, std::int64_t workspace_id, std::int64_t id);
Result<Page<Target>> list_group_targets(Store& store, std::int64_t workspace_id,
                                        std::int64_t group_id, PageRequest page);

Result<Group> create_group(Store& store, const Caller& caller, std::int64_t now,
                           const std::string& name,
                           const std::optional<std::vector<TargetFields>>& targets);

struct GroupChange {
  std::optional<std::string> name;                   // absent keeps the name; validated here
  std::optional<std::vector<TargetFields>> targets;  // given: they become the members
};

Result<Group> update_group(Store& store, const Caller& caller, std::int64_t now, std::int64_t id,
                           const GroupChange& change);
Result<void> delete_group(Store& store, const Caller& caller, std::int64_t now, std::int64_t id);
Result<Group> add_group_targets(Store& store, const Caller& caller, std::int64_t now,
                                std::int64_t id, const std::vector<TargetFields>& targets);
// kNotFound when the target is not a member of the group.
Result<void> remove_group_target(Store& store, const Caller& caller, std::int64_t now,
                                 std::int64_t id, std::int64_t target_id);

}  // namespace phishdrill::service
