// Port: targets and the groups that hold them. Targets are unique by email
// within a workspace; adding a known email updates that target. Every method
// is scoped by workspace: another workspace's id behaves as unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/group.h"
#include "core/target.h"
#include "store/page.h"

namespace phishdrill {

struct UpsertStats {
  std::vector<std::int64_t> target_ids;  // in input order
  std::int64_t created = 0;
  std::int64_t updated = 0;
};

class GroupsRepository {
 public:
  virtual ~GroupsRepository() = default;

  // kConflict (field "name") when the name is taken in the workspace.
  virtual Result<Group> create_group(std::int64_t workspace_id, std::string_view name,
                                     std::int64_t now) = 0;
  virtual std::optional<Group> find_group(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Group> list_groups(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> rename_group(std::int64_t workspace_id, std::int64_t id,
                                    std::string_view name, std::int64_t now) = 0;
  virtual void touch_group(std::int64_t id, std::int64_t now) = 0;
  virtual bool delete_group(std::int64_t workspace_id, std::int64_t id) = 0;

  // Targets must already be validated.
  virtual UpsertStats upsert_targets(std::int64_t workspace_id,
                                     const std::vector<TargetFields>& targets,
                                     std::int64_t now) = 0;
  virtual void add_members(std::int64_t group_id, const std::vector<std::int64_t>& target_ids) = 0;
  virtual void clear_members(std::int64_t group_id) = 0;
  virtual bool remove_member(std::int64_t group_id, std::int64_t target_id) = 0;
  virtual Page<Target> list_members(std::int64_t group_id, PageRequest page) = 0;
};

}  // namespace phishdrill
