#include "core/assignment.h"

#include "core/landing_page.h"
#include "core/text_rules.h"

namespace phishdrill {

std::string_view assignment_status_name(AssignmentStatus status) {
  switch (status) {
    case AssignmentStatus::kAssigned:
      return "assigned";
    case AssignmentStatus::kInProgress:
      return "in_progress";
    case AssignmentStatus::kCompleted:
      return "completed";
    case AssignmentStatus::kCancelled:
      return "cancelled";
  }
  return "assigned";
}

std::optional<AssignmentStatus> parse_assignment_status(std::string_view name) {
  for (auto s : {AssignmentStatus::kAssigned, AssignmentStatus::kInProgress,
                 AssignmentStatus::kCompleted, AssignmentStatus::kCancelled}) {
    if (assignment_status_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view assignment_display_status(const Assignment& a, std::int64_t now) {
  return a.overdue(now) ? "overdue" : assignment_status_name(a.status);
}

Result<void> validate_follow_up(const FollowUp& f) {
  if (f.module_slug.empty()) return fail(ErrorCode::kValidation, "module is required", "follow_up");
  if (f.trigger != "clicked" && f.trigger != "submitted") {
    return fail(ErrorCode::kValidation, "trigger must be \"clicked\" or \"submitted\"",
                "follow_up");
  }
  if (f.due_days < 1 || f.due_days > 365) {
    return fail(ErrorCode::kValidation, "due_days must be between 1 and 365", "follow_up");
  }
  return {};
}

int follow_up_rank(const FollowUp& f) { return f.trigger == "submitted" ? 3 : 2; }

Result<void> validate_training_settings(TrainingSettings& s) {
  s.portal_base_url = trim(s.portal_base_url);
  while (!s.portal_base_url.empty() && s.portal_base_url.back() == '/') {
    s.portal_base_url.pop_back();
  }
  if (s.portal_base_url.size() > 2048) {
    return fail(ErrorCode::kValidation, "must be at most 2048 characters", "portal_base_url");
  }
  if (!s.portal_base_url.empty() && !is_http_url(s.portal_base_url)) {
    return fail(ErrorCode::kValidation, "must be an http(s) URL", "portal_base_url");
  }
  if (s.profile_id < 0) return fail(ErrorCode::kValidation, "must be an id", "profile_id");
  if (s.remind_days_before < 0 || s.remind_days_before > 60) {
    return fail(ErrorCode::kValidation, "must be between 0 and 60", "remind_days_before");
  }
  if (s.overdue_every_days < 1 || s.overdue_every_days > 60) {
    return fail(ErrorCode::kValidation, "must be between 1 and 60", "overdue_every_days");
  }
  if (s.max_overdue_reminders < 0 || s.max_overdue_reminders > 20) {
    return fail(ErrorCode::kValidation, "must be between 0 and 20", "max_overdue_reminders");
  }
  if (s.follow_up_delay_seconds < 0 || s.follow_up_delay_seconds > 3600) {
    return fail(ErrorCode::kValidation, "must be between 0 and 3600", "follow_up_delay_seconds");
  }
  if (s.link_valid_days < 1 || s.link_valid_days > 365) {
    return fail(ErrorCode::kValidation, "must be between 1 and 365", "link_valid_days");
  }
  return {};
}

std::vector<PlannedMail> plan_training_mail(const TrainingSettings& s, std::int64_t notice_at,
                                            std::int64_t due_at) {
  constexpr std::int64_t kHour = 3600;
  constexpr std::int64_t kDay = 86400;
  std::vector<PlannedMail> plan{{"assigned", notice_at}};
  if (s.remind_days_before > 0) {
    const std::int64_t at = due_at - s.remind_days_before * kDay;
    if (at >= notice_at + kHour) plan.push_back({"reminder", at});
  }
  for (int k = 0; k < s.max_overdue_reminders; ++k) {
    plan.push_back({"overdue", due_at + kHour + k * s.overdue_every_days * kDay});
  }
  return plan;
}

}  // namespace phishdrill
