#include "service/assign_training.h"

namespace phishdrill::service {

void queue_assignment_mail(Repositories& repos, std::int64_t workspace_id,
                           std::int64_t assignment_id, const NewAssignments& request,
                           const TrainingSettings& mail) {
  if (request.profile_id == 0) return;
  const std::int64_t notice_at = request.notice_at != 0 ? request.notice_at : request.now;
  repos.training.queue_training_mail(workspace_id, assignment_id,
                                     plan_training_mail(mail, notice_at, request.due_at));
}

AssignOutcome assign_training(Repositories& repos, std::int64_t workspace_id,
                              const NewAssignments& request, const TrainingSettings& mail) {
  AssignOutcome outcome;
  for (const auto target_id : request.target_ids) {
    const auto id = repos.training.insert_assignment(workspace_id, target_id, request);
    if (!id) {
      ++outcome.already_assigned;
      continue;
    }
    queue_assignment_mail(repos, workspace_id, *id, request, mail);
    ++outcome.created;
  }
  return outcome;
}

}  // namespace phishdrill::service
