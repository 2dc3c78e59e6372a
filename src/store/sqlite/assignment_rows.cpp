#include "store/sqlite/assignment_rows.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kAssignmentColumns =
    "id, target_id, email, first_name, last_name, department, manager_email, module_slug, "
    "reason, campaign_id, profile_id, portal_base_url, assigned_at, due_at, status, started_at, "
    "completed_at, score, passed, module_version, attempts, reminders_sent, cancel_reason";

}  // namespace

std::string assignment_columns(std::string_view prefix) {
  return rows::prefixed_columns(kAssignmentColumns, prefix);
}

void cancel_queued_mail(Connection& db, std::int64_t assignment_id) {
  // A message being sent right now is cancelled too: its worker records it as
  // sent if it went, and nothing else can bring it back.
  db.cached(
        "UPDATE training_mail SET state = 'cancelled' WHERE assignment_id = ? AND state IN "
        "('queued', 'sending')")
      .bind(1, assignment_id)
      .run();
}

}  // namespace phishdrill::sqlite
