#include "service/training_admin.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "service/audit.h"
#include "service/require_role.h"
#include "service/training_imports.h"

namespace phishdrill::service {
namespace {

Result<void> check_group(Repositories& repos, std::int64_t workspace_id, std::int64_t group_id) {
  if (group_id != 0 && !repos.groups.find_group(workspace_id, group_id)) {
    return fail(ErrorCode::kValidation, "no such group", "group_id");
  }
  return {};
}

TrainingTotals totals_of(const std::vector<TrainingReportRow>& rows) {
  TrainingTotals t;
  t.people = static_cast<std::int64_t>(rows.size());
  for (const auto& r : rows) {
    t.assigned += r.assigned;
    t.completed += r.completed;
    t.overdue += r.overdue;
    if (r.assigned > 0) ++t.people_assigned;
    if (r.assigned > 0 && r.completed == r.assigned) ++t.people_completed_all;
  }
  t.completion_rate = t.assigned > 0 ? static_cast<double>(t.completed) / t.assigned : 0.0;
  return t;
}

}  // namespace

Result<TrainingSettings> training_settings(Store& store, const Caller& caller) {
  TrainingSettings s;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    s = repos.training.settings(caller.workspace_id);
    return {};
  }));
  return s;
}

Result<TrainingSettings> update_training_settings(Store& store, const Caller& caller,
                                                  TrainingSettings settings, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  PD_TRY(validate_training_settings(settings));
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    if (settings.profile_id != 0 &&
        !repos.profiles.find_profile(caller.workspace_id, settings.profile_id)) {
      return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
    }
    repos.training.save_settings(caller.workspace_id, settings);
    audit(repos, caller, now, "training_settings.update", "training_settings", 0);
    return {};
  }));
  return settings;
}

Result<Page<Assignment>> list_assignments(Store& store, const Caller& caller,
                                          const AssignmentFilter& filter, PageRequest page) {
  Page<Assignment> items;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    items = repos.training.list_assignments(caller.workspace_id, filter, page);
    return {};
  }));
  return items;
}

Result<AssignmentDetail> assignment_detail(Store& store, const Caller& caller, std::int64_t id) {
  AssignmentDetail detail;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    auto a = repos.training.find_assignment(caller.workspace_id, id);
    if (!a) return not_found();
    detail.assignment = std::move(*a);
    detail.attempts = repos.training.attempts_of(id);
    detail.mails = repos.training.mails_of(id);
    return {};
  }));
  return detail;
}

Result<Assignment> cancel_assignment(Store& store, const Caller& caller, std::int64_t id,
                                     std::string_view by, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kOperator));
  std::optional<Assignment> after;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    auto a = repos.training.find_assignment(caller.workspace_id, id);
    if (!a) return not_found();
    if (!repos.training.cancel_assignment(caller.workspace_id, id,
                                          "cancelled by " + std::string(by), now)) {
      return fail(ErrorCode::kConflict, fmt::format("this assignment is {} and cannot be cancelled",
                                                    assignment_status_name(a->status)));
    }
    audit(repos, caller, now, "assignment.cancel", "assignment", id);
    after = repos.training.find_assignment(caller.workspace_id, id);
    return {};
  }));
  if (!after) return not_found();
  return *after;
}

Result<void> remind_assignment(Store& store, const Caller& caller, std::int64_t id,
                               std::int64_t now) {
  PD_TRY(require_role(caller, Role::kOperator));
  return store.write([&](Repositories& repos) -> Result<void> {
    auto a = repos.training.find_assignment(caller.workspace_id, id);
    if (!a) return not_found();
    if (!a->open()) {
      return fail(ErrorCode::kConflict,
                  fmt::format("this assignment is {}: there is nothing to remind about",
                              assignment_status_name(a->status)));
    }
    if (a->profile_id == 0) {
      return fail(ErrorCode::kConflict,
                  "this assignment sends no email: it was made without a training sending "
                  "profile (see /training/settings)");
    }
    if (!repos.training.remind_now(caller.workspace_id, id, now)) {
      return fail(ErrorCode::kConflict, "an email to this person is already on its way");
    }
    audit(repos, caller, now, "assignment.remind", "assignment", id);
    return {};
  });
}

Result<TrainingReport> training_report(Store& store, const Caller& caller, std::int64_t group_id,
                                       std::int64_t now) {
  TrainingReport report;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    PD_TRY(check_group(repos, caller.workspace_id, group_id));
    report.rows = repos.training.report(caller.workspace_id, group_id, now);
    return {};
  }));
  report.totals = totals_of(report.rows);
  return report;
}

Result<void> for_each_reported_assignment(Store& store, const Caller& caller, std::int64_t group_id,
                                          std::int64_t now,
                                          const std::function<void(const Assignment&)>& each) {
  return store.read([&](Repositories& repos) -> Result<void> {
    PD_TRY(check_group(repos, caller.workspace_id, group_id));
    AssignmentFilter filter;
    filter.group_id = group_id;
    filter.now = now;
    PageRequest page{0, 500};
    for (;;) {
      const auto items = repos.training.list_assignments(caller.workspace_id, filter, page);
      for (const auto& a : items.items) each(a);
      if (!items.next_after) return {};
      page.after_id = *items.next_after;
    }
  });
}

Result<TrainingModule> import_training_module(Store& store, TrainingCatalogue& catalogue,
                                              const Caller& caller, std::string_view archive,
                                              std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  TrainingModule imported = PD_TRY(catalogue.import_tar(caller.workspace_id, archive));
  // The module is already in place on this node: a failed write must not
  // report the import as failed (and invite a second one, refused as a
  // conflict). The other nodes get it when this node next starts and
  // publishes what the store lacks (service/training_imports.h).
  if (auto recorded = record_training_import(store, caller, imported, archive, now); !recorded) {
    spdlog::warn("event=training_import_not_recorded slug={} message={}", imported.slug,
                 recorded.error().message);
  }
  return imported;
}

}  // namespace phishdrill::service
