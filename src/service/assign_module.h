// An operator assigns a training module to people by hand: chosen targets
// and everyone in chosen groups (at most 100000 people a request), due at a
// time within the next year. Each gets one open assignment of the module
// (people who already have it open are counted, not assigned again) with the
// emails the workspace's training settings plan when they name a sending
// profile (service/assign_training.h). Audited as "assignment.create". Runs
// its own transaction, so it may not be called from inside one. Thread-safe
// as the store and the catalogue are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::service {

inline constexpr std::size_t kMaxAssignTargets = 100000;

struct ModuleAssignment {
  std::string module_slug;
  std::vector<std::int64_t> target_ids;
  std::vector<std::int64_t> group_ids;
  // The due date, or why the request's could not be read (reported after the
  // module and the people are checked).
  Result<std::int64_t> due_at = 0;
};

struct ModuleAssigned {
  AssignOutcome outcome;
  bool emailed = false;  // the workspace's settings name a sending profile
};

// Refused with kValidation naming the field: an unknown module, no target
// nor group, the due date's error, a due date not in the future or more than
// a year (366 days) away, an unknown group or target (of this workspace), too
// many people. `portal_base_url` is the links' base when the settings name
// none.
Result<ModuleAssigned> assign_module(Store& store, const TrainingCatalogue& catalogue,
                                     const Caller& caller, const ModuleAssignment& request,
                                     const std::string& portal_base_url, std::int64_t now);

}  // namespace phishdrill::service
