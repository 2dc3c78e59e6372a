#include "service/assign_module.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "service/assign_training.h"
#include "service/audit.h"
#include "service/require_role.h"

namespace phishdrill::service {
namespace {

Result<void> check_request(const TrainingCatalogue& catalogue, const Caller& caller,
                           const ModuleAssignment& request, std::int64_t now) {
  if (!catalogue.find(caller.workspace_id, request.module_slug)) {
    return fail(ErrorCode::kValidation, "no such training module", "module");
  }
  if (request.target_ids.empty() && request.group_ids.empty()) {
    return fail(ErrorCode::kValidation, "choose at least one target or group", "target_ids");
  }
  if (!request.due_at) return std::unexpected(request.due_at.error());
  if (*request.due_at <= now) {
    return fail(ErrorCode::kValidation, "due_at must be in the future", "due_at");
  }
  if (*request.due_at > now + 366LL * 86400) {
    return fail(ErrorCode::kValidation, "due_at must be within a year", "due_at");
  }
  return {};
}

// The chosen targets and the groups' members, once each.
Result<std::vector<std::int64_t>> everyone_in(Repositories& repos, std::int64_t workspace_id,
                                              const ModuleAssignment& request) {
  const auto& groups = request.group_ids;
  const auto& targets = request.target_ids;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!repos.groups.find_group(workspace_id, groups[i])) {
      return fail(ErrorCode::kValidation, "no such group", fmt::format("group_ids[{}]", i));
    }
  }
  const auto unknown = repos.training.unknown_targets(workspace_id, targets);
  if (!unknown.empty()) {
    const auto at = std::find(targets.begin(), targets.end(), unknown.front());
    return fail(ErrorCode::kValidation, "no such target",
                fmt::format("target_ids[{}]", at - targets.begin()));
  }
  std::set<std::int64_t> everyone(targets.begin(), targets.end());
  if (!groups.empty()) {
    for (const auto& t : repos.campaigns.targets_of_groups(workspace_id, groups)) {
      everyone.insert(t.id);
    }
  }
  if (everyone.size() > kMaxAssignTargets) {
    return fail(ErrorCode::kValidation, "at most 100000 people per request", "group_ids");
  }
  return std::vector<std::int64_t>(everyone.begin(), everyone.end());
}

}  // namespace

Result<ModuleAssigned> assign_module(Store& store, const TrainingCatalogue& catalogue,
                                     const Caller& caller, const ModuleAssignment& request,
                                     const std::string& portal_base_url, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kOperator));
  PD_TRY(check_request(catalogue, caller, request, now));
  const std::int64_t ws = caller.workspace_id;
  ModuleAssigned assigned;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    NewAssignments planned;
    planned.target_ids = PD_TRY(everyone_in(repos, ws, request));
    const TrainingSettings mail = repos.training.settings(ws);
    assigned.emailed = mail.profile_id != 0;
    planned.module_slug = request.module_slug;
    planned.profile_id = mail.profile_id;
    planned.portal_base_url = mail.portal_base_url.empty() ? portal_base_url : mail.portal_base_url;
    planned.due_at = *request.due_at;
    planned.now = now;
    assigned.outcome = assign_training(repos, ws, planned, mail);
    audit(repos, caller, now, "assignment.create", "training_module", 0,
          {{"module", request.module_slug},
           {"created", assigned.outcome.created},
           {"already_assigned", assigned.outcome.already_assigned}});
    return {};
  }));
  return assigned;
}

}  // namespace phishdrill::service
