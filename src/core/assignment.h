// Training assignments: a module a person must complete by a due date,
// assigned by an operator or automatically by a campaign's follow-up (to
// whoever clicks or submits, once per campaign). The stored status moves
// assigned → in_progress → completed, or to cancelled; "overdue" is derived
// (open and past due). Also the workspace's training mail settings. Pure data
// plus validation; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

enum class AssignmentStatus { kAssigned, kInProgress, kCompleted, kCancelled };

std::string_view assignment_status_name(AssignmentStatus status);
std::optional<AssignmentStatus> parse_assignment_status(std::string_view name);

struct AssignedTarget {
  std::int64_t id = 0;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string department;
  std::string manager_email;
};

struct Assignment {
  std::int64_t id = 0;
  AssignedTarget target;
  std::string module_slug;
  std::string reason;            // "manual" or "campaign"
  std::int64_t campaign_id = 0;  // 0 = none
  std::int64_t profile_id = 0;   // relay for its emails; 0 = no emails
  std::string portal_base_url;   // base of the portal links in its emails
  std::int64_t assigned_at = 0;
  std::int64_t due_at = 0;
  AssignmentStatus status = AssignmentStatus::kAssigned;
  std::int64_t started_at = 0;    // 0 = not yet
  std::int64_t completed_at = 0;  // 0 = not yet
  std::optional<int> score;       // percent, of the last graded attempt
  std::optional<bool> passed;
  int module_version = 0;  // the version completed (0 = none yet)
  int attempts = 0;
  int reminders_sent = 0;
  std::string cancel_reason;

  bool open() const {
    return status == AssignmentStatus::kAssigned || status == AssignmentStatus::kInProgress;
  }
  bool overdue(std::int64_t now) const { return open() && due_at < now; }
};

// "assigned", "in_progress", "completed", "cancelled" or "overdue".
std::string_view assignment_display_status(const Assignment& a, std::int64_t now);

// A campaign's follow-up training: assigned to each recipient whose human
// result reaches the trigger.
struct FollowUp {
  std::string module_slug;
  std::string trigger = "clicked";  // "clicked" or "submitted"
  int due_days = 7;                 // 1..365
};

// module_slug non-empty; trigger known; due_days 1..365.
Result<void> validate_follow_up(const FollowUp& follow_up);
// The recipient status rank (2 = clicked, 3 = submitted) that triggers it.
int follow_up_rank(const FollowUp& follow_up);

// Where training emails go out and when reminders are sent.
struct TrainingSettings {
  std::int64_t profile_id = 0;    // 0 = no emails for manual assignments
  std::string portal_base_url;    // e.g. https://learn.example.com ("" = phish.base_url)
  int remind_days_before = 2;     // 0 = no reminder before the due date; ≤ 60
  int overdue_every_days = 3;     // 1..60
  int max_overdue_reminders = 3;  // 0..20
  bool cc_manager_when_overdue = false;
  int link_valid_days = 30;  // portal links in emails, 1..365
  // A campaign's follow-up notice waits this long (0..3600 s), so a click
  // later recognised as a mail scanner's withdraws the assignment before
  // anyone is told about it.
  int follow_up_delay_seconds = 30;
};

Result<void> validate_training_settings(TrainingSettings& settings);

// One graded quiz attempt, kept as evidence.
struct QuizAttempt {
  std::int64_t id = 0;
  std::int64_t assignment_id = 0;
  std::int64_t submitted_at = 0;
  int score = 0;
  bool passed = false;
  int module_version = 0;
};

}  // namespace phishdrill

namespace phishdrill {

// The emails an assignment will send: the notice at `notice_at`, one
// reminder `remind_days_before` days before the due date (if that is still
// ahead, at least an hour after the notice), then up to
// `max_overdue_reminders` overdue reminders: an hour after the due date and
// every `overdue_every_days` days after that. Sorted by time.
struct PlannedMail {
  std::string kind;  // "assigned", "reminder" or "overdue"
  std::int64_t send_at = 0;
};
std::vector<PlannedMail> plan_training_mail(const TrainingSettings& settings,
                                            std::int64_t notice_at, std::int64_t due_at);

}  // namespace phishdrill
