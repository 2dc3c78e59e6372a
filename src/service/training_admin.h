// Training administration in a workspace: its training mail settings, the
// assignments (listed with filters, one with its quiz attempts and emails,
// cancelled, reminded now), the completion report per group, and importing
// a module into the catalogue. Each call runs its own store transaction, so
// none may be called from inside one. Changes need the operator role (the
// admin role for settings and imports) and are audited; another workspace's
// assignment is kNotFound, an unknown group or sending profile kValidation.
// Thread-safe as the store and the catalogue are.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::service {

Result<TrainingSettings> training_settings(Store& store, const Caller& caller);

// Validates (clamping what validate_training_settings clamps) and saves them;
// returns what was saved.
Result<TrainingSettings> update_training_settings(Store& store, const Caller& caller,
                                                  TrainingSettings settings, std::int64_t now);

Result<Page<Assignment>> list_assignments(Store& store, const Caller& caller,
                                          const AssignmentFilter& filter, PageRequest page);

struct AssignmentDetail {
  Assignment assignment;
  std::vector<QuizAttempt> attempts;
  std::vector<TrainingMailRecord> mails;
};

Result<AssignmentDetail> assignment_detail(Store& store, const Caller& caller, std::int64_t id);

// Open → cancelled, with the reason "cancelled by <by>" (the acting user's
// email); kConflict when it is not open. Returns the assignment as it is now.
Result<Assignment> cancel_assignment(Store& store, const Caller& caller, std::int64_t id,
                                     std::string_view by, std::int64_t now);

// Queues a reminder with a fresh link to go now; kConflict when the
// assignment is not open, sends no email, or an email is already due.
Result<void> remind_assignment(Store& store, const Caller& caller, std::int64_t id,
                               std::int64_t now);

struct TrainingTotals {
  std::int64_t people = 0;
  std::int64_t people_assigned = 0;       // with at least one assignment
  std::int64_t people_completed_all = 0;  // assigned, and completed all of it
  std::int64_t assigned = 0;
  std::int64_t completed = 0;
  std::int64_t overdue = 0;
  double completion_rate = 0;  // completed / assigned; 0 when nothing is assigned
};

struct TrainingReport {
  std::vector<TrainingReportRow> rows;  // one per person
  TrainingTotals totals;
};

// The group's people (everyone's when `group_id` is 0).
Result<TrainingReport> training_report(Store& store, const Caller& caller, std::int64_t group_id,
                                       std::int64_t now);

// Every assignment of the group's people (everyone's when `group_id` is 0),
// oldest first, handed to `each` inside the read transaction.
Result<void> for_each_reported_assignment(Store& store, const Caller& caller, std::int64_t group_id,
                                          std::int64_t now,
                                          const std::function<void(const Assignment&)>& each);

// Imports a module folder packed as tar (see TrainingCatalogue::import_tar)
// and audits it. The module is in place once imported, whatever becomes of
// the audit entry.
Result<TrainingModule> import_training_module(Store& store, TrainingCatalogue& catalogue,
                                              const Caller& caller, std::string_view archive,
                                              std::int64_t now);

}  // namespace phishdrill::service
