#include "store/postgres/assignment_rows.h"

namespace phishdrill::pg {
namespace {

constexpr std::string_view kAssignmentColumns =
    "id, target_id, email, first_name, last_name, department, manager_email, module_slug, "
    "reason, campaign_id, profile_id, portal_base_url, assigned_at, due_at, status, started_at, "
    "completed_at, score, passed, module_version, attempts, reminders_sent, cancel_reason";

}  // namespace

std::string assignment_columns(std::string_view prefix) {
  if (prefix.empty()) return std::string(kAssignmentColumns);
  std::string out;
  std::string_view cols = kAssignmentColumns;
  while (!cols.empty()) {
    const auto comma = cols.find(", ");
    const auto name = cols.substr(0, comma);
    if (!out.empty()) out += ", ";
    out += std::string(prefix) + "." + std::string(name);
    if (comma == std::string_view::npos) break;
    cols.remove_prefix(comma + 2);
  }
  return out;
}

Assignment read_assignment(const Row& s, int first) {
  Assignment a;
  int c = first;
  a.id = s.int64(c++);
  a.target.id = s.int64(c++);
  a.target.email = s.text(c++);
  a.target.first_name = s.text(c++);
  a.target.last_name = s.text(c++);
  a.target.department = s.text(c++);
  a.target.manager_email = s.text(c++);
  a.module_slug = s.text(c++);
  a.reason = s.text(c++);
  a.campaign_id = s.int64(c++);
  a.profile_id = s.int64(c++);
  a.portal_base_url = s.text(c++);
  a.assigned_at = s.int64(c++);
  a.due_at = s.int64(c++);
  a.status = parse_assignment_status(s.text(c++)).value_or(AssignmentStatus::kAssigned);
  a.started_at = s.int64(c++);
  a.completed_at = s.int64(c++);
  if (!s.is_null(c)) a.score = static_cast<int>(s.int64(c));
  ++c;
  if (!s.is_null(c)) a.passed = s.boolean(c);
  ++c;
  a.module_version = static_cast<int>(s.int64(c++));
  a.attempts = static_cast<int>(s.int64(c++));
  a.reminders_sent = static_cast<int>(s.int64(c++));
  a.cancel_reason = s.text(c++);
  return a;
}

void cancel_queued_mail(Connection& db, std::int64_t assignment_id) {
  // A message being sent right now is cancelled too: its worker records it as
  // sent if it went, and nothing else can bring it back.
  db.run(
      "UPDATE training_mail SET state = 'cancelled' WHERE assignment_id = $1 AND state IN "
      "('queued', 'sending')",
      assignment_id);
}

}  // namespace phishdrill::pg
