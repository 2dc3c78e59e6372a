// Assigning training: one open assignment of a module per person, each with
// the emails its workspace's settings plan (the notice, a reminder before the
// due date, overdue reminders) queued when it has a sending profile. Used by
// the admin API's manual assignment and by a campaign's follow-up. Runs
// inside the caller's transaction. Thread-compatible.
#pragma once

#include <cstdint>

#include "store/store.h"

namespace phishdrill::service {

// Skips people who already have the module open (or whom the campaign
// already assigned); unknown target ids are the caller's to refuse first.
AssignOutcome assign_training(Repositories& repos, std::int64_t workspace_id,
                              const NewAssignments& request, const TrainingSettings& mail);

// Queues the emails `mail` plans for one assignment of `request` (none
// without a sending profile).
void queue_assignment_mail(Repositories& repos, std::int64_t workspace_id,
                           std::int64_t assignment_id, const NewAssignments& request,
                           const TrainingSettings& mail);

}  // namespace phishdrill::service
