#include "core/assignment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace phishdrill {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1796083200;  // Tuesday 2026-12-01 00:00 UTC

TEST(AssignmentStatus, NamesRoundTrip) {
  for (auto s : {AssignmentStatus::kAssigned, AssignmentStatus::kInProgress,
                 AssignmentStatus::kCompleted, AssignmentStatus::kCancelled}) {
    EXPECT_EQ(parse_assignment_status(assignment_status_name(s)), s);
  }
  EXPECT_EQ(assignment_status_name(AssignmentStatus::kAssigned), "assigned");
  EXPECT_EQ(assignment_status_name(AssignmentStatus::kInProgress), "in_progress");
  EXPECT_EQ(assignment_status_name(AssignmentStatus::kCompleted), "completed");
  EXPECT_EQ(assignment_status_name(AssignmentStatus::kCancelled), "cancelled");
}

TEST(AssignmentStatus, ParseRefusesUnknownNames) {
  EXPECT_FALSE(parse_assignment_status("").has_value());
  EXPECT_FALSE(parse_assignment_status("overdue").has_value());  // derived, never stored
  EXPECT_FALSE(parse_assignment_status("Assigned").has_value());
  EXPECT_FALSE(parse_assignment_status("in-progress").has_value());
  EXPECT_FALSE(parse_assignment_status("completed ").has_value());
}

Assignment with(AssignmentStatus status, std::int64_t due_at) {
  Assignment a;
  a.status = status;
  a.due_at = due_at;
  return a;
}

TEST(AssignmentDisplayStatus, OpenAndPastDueIsOverdue) {
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kAssigned, kNow - 1), kNow),
            "overdue");
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kInProgress, kNow - kDay), kNow),
            "overdue");
  EXPECT_TRUE(with(AssignmentStatus::kAssigned, kNow - 1).overdue(kNow));
}

TEST(AssignmentDisplayStatus, DueExactlyNowIsNotYetOverdue) {
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kAssigned, kNow), kNow), "assigned");
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kInProgress, kNow + kDay), kNow),
            "in_progress");
}

TEST(AssignmentDisplayStatus, ClosedAssignmentsAreNeverOverdue) {
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kCompleted, kNow - kDay), kNow),
            "completed");
  EXPECT_EQ(assignment_display_status(with(AssignmentStatus::kCancelled, kNow - kDay), kNow),
            "cancelled");
  EXPECT_FALSE(with(AssignmentStatus::kCompleted, kNow - kDay).open());
  EXPECT_FALSE(with(AssignmentStatus::kCancelled, kNow - kDay).open());
  EXPECT_TRUE(with(AssignmentStatus::kAssigned, 0).open());
  EXPECT_TRUE(with(AssignmentStatus::kInProgress, 0).open());
}

TEST(FollowUp, DefaultsAreValid) {
  FollowUp f;
  f.module_slug = "spotting-red-flags";
  EXPECT_TRUE(validate_follow_up(f).has_value());
  EXPECT_EQ(f.trigger, "clicked");
  EXPECT_EQ(f.due_days, 7);
}

TEST(FollowUp, RequiresModule) {
  FollowUp f;
  auto r = validate_follow_up(f);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().field, "follow_up");
}

TEST(FollowUp, TriggerMustBeKnown) {
  FollowUp f{"m", "submitted", 7};
  EXPECT_TRUE(validate_follow_up(f).has_value());
  for (const char* bad : {"", "opened", "reported", "Clicked", "click"}) {
    f.trigger = bad;
    auto r = validate_follow_up(f);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  }
}

TEST(FollowUp, DueDaysBounds) {
  FollowUp f{"m", "clicked", 1};
  EXPECT_TRUE(validate_follow_up(f).has_value());
  f.due_days = 365;
  EXPECT_TRUE(validate_follow_up(f).has_value());
  for (int bad : {0, -1, 366, 100000}) {
    f.due_days = bad;
    EXPECT_FALSE(validate_follow_up(f).has_value()) << bad;
  }
}

TEST(FollowUp, RankOfTrigger) {
  EXPECT_EQ(follow_up_rank(FollowUp{"m", "clicked", 7}), 2);
  EXPECT_EQ(follow_up_rank(FollowUp{"m", "submitted", 7}), 3);
}

TEST(TrainingSettings, DefaultsAreValidAndUnchanged) {
  TrainingSettings s;
  ASSERT_TRUE(validate_training_settings(s).has_value());
  EXPECT_EQ(s.profile_id, 0);
  EXPECT_EQ(s.portal_base_url, "");
  EXPECT_EQ(s.remind_days_before, 2);
  EXPECT_EQ(s.overdue_every_days, 3);
  EXPECT_EQ(s.max_overdue_reminders, 3);
  EXPECT_FALSE(s.cc_manager_when_overdue);
  EXPECT_EQ(s.link_valid_days, 30);
  EXPECT_EQ(s.follow_up_delay_seconds, 30);
}

TEST(TrainingSettings, PortalUrlIsTrimmedOfSpacesAndTrailingSlashes) {
  TrainingSettings s;
  s.portal_base_url = "  https://learn.example.com///  ";
  ASSERT_TRUE(validate_training_settings(s).has_value());
  EXPECT_EQ(s.portal_base_url, "https://learn.example.com");

  s.portal_base_url = "http://learn.example.com/portal/";
  ASSERT_TRUE(validate_training_settings(s).has_value());
  EXPECT_EQ(s.portal_base_url, "http://learn.example.com/portal");

  s.portal_base_url = "   ";
  ASSERT_TRUE(validate_training_settings(s).has_value());
  EXPECT_EQ(s.portal_base_url, "");
}

TEST(TrainingSettings, PortalUrlMustBeHttp) {
  for (const char* bad : {"ftp://learn.example.com", "learn.example.com", "javascript:alert(1)",
                          "//learn.example.com", "mailto:a@b.example"}) {
    TrainingSettings s;
    s.portal_base_url = bad;
    auto r = validate_training_settings(s);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, "portal_base_url") << bad;
  }
}

// The portal URL goes into every training email's link: like a campaign's
// base_url it must be an absolute http(s) URL with a host and no spaces or
// control characters.
TEST(TrainingSettings, PortalUrlNeedsAHostAndNoSpaces) {
  for (const char* bad : {"https://", "http://", "https:///learn", "https://learn example.com",
                          "https://learn.example.com/a\x01"}) {
    TrainingSettings s;
    s.portal_base_url = bad;
    auto r = validate_training_settings(s);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().field, "portal_base_url") << bad;
    }
  }
}

TEST(TrainingSettings, PortalUrlLength) {
  TrainingSettings s;
  const std::string prefix = "https://learn.example.com/";
  s.portal_base_url = prefix + std::string(2048 - prefix.size(), 'a');
  EXPECT_TRUE(validate_training_settings(s).has_value());
  s.portal_base_url = prefix + std::string(2049 - prefix.size(), 'a');
  auto r = validate_training_settings(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "portal_base_url");
}

struct Bound {
  const char* field;
  int TrainingSettings::*member;
  int min;
  int max;
};

TEST(TrainingSettings, EveryNumericBound) {
  const std::vector<Bound> bounds = {
      {"remind_days_before", &TrainingSettings::remind_days_before, 0, 60},
      {"overdue_every_days", &TrainingSettings::overdue_every_days, 1, 60},
      {"max_overdue_reminders", &TrainingSettings::max_overdue_reminders, 0, 20},
      {"link_valid_days", &TrainingSettings::link_valid_days, 1, 365},
      {"follow_up_delay_seconds", &TrainingSettings::follow_up_delay_seconds, 0, 3600},
  };
  for (const auto& b : bounds) {
    for (int ok : {b.min, b.max}) {
      TrainingSettings s;
      s.*b.member = ok;
      EXPECT_TRUE(validate_training_settings(s).has_value()) << b.field << "=" << ok;
    }
    for (int bad : {b.min - 1, b.max + 1}) {
      TrainingSettings s;
      s.*b.member = bad;
      auto r = validate_training_settings(s);
      ASSERT_FALSE(r.has_value()) << b.field << "=" << bad;
      EXPECT_EQ(r.error().code, ErrorCode::kValidation);
      EXPECT_EQ(r.error().field, b.field) << bad;
    }
  }
}

TEST(TrainingSettings, ProfileIdMustNotBeNegative) {
  TrainingSettings s;
  s.profile_id = 7;
  EXPECT_TRUE(validate_training_settings(s).has_value());
  s.profile_id = -1;
  auto r = validate_training_settings(s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "profile_id");
}

std::vector<std::string> kinds(const std::vector<PlannedMail>& plan) {
  std::vector<std::string> out;
  for (const auto& p : plan) out.push_back(p.kind);
  return out;
}

TEST(PlanTrainingMail, DefaultPlan) {
  TrainingSettings s;  // reminder 2 days before, 3 overdue reminders every 3 days
  const std::int64_t due = kNow + 7 * kDay;
  const auto plan = plan_training_mail(s, kNow, due);
  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(kinds(plan),
            (std::vector<std::string>{"assigned", "reminder", "overdue", "overdue", "overdue"}));
  EXPECT_EQ(plan[0].send_at, kNow);
  EXPECT_EQ(plan[1].send_at, due - 2 * kDay);
  EXPECT_EQ(plan[2].send_at, due + kHour);
  EXPECT_EQ(plan[3].send_at, due + kHour + 3 * kDay);
  EXPECT_EQ(plan[4].send_at, due + kHour + 6 * kDay);
}

TEST(PlanTrainingMail, SortedByTime) {
  TrainingSettings s;
  s.remind_days_before = 5;
  s.overdue_every_days = 1;
  s.max_overdue_reminders = 20;
  const auto plan = plan_training_mail(s, kNow, kNow + 30 * kDay);
  ASSERT_EQ(plan.size(), 22u);
  for (std::size_t i = 1; i < plan.size(); ++i) {
    EXPECT_LT(plan[i - 1].send_at, plan[i].send_at) << i;
  }
}

TEST(PlanTrainingMail, NoticeUsesNoticeTime) {
  TrainingSettings s;
  const std::int64_t notice = kNow + 30;  // a campaign's follow-up delay
  const auto plan = plan_training_mail(s, notice, kNow + 7 * kDay);
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan[0].kind, "assigned");
  EXPECT_EQ(plan[0].send_at, notice);
}

TEST(PlanTrainingMail, ReminderOnlyWhenAtLeastAnHourAfterTheNotice) {
  TrainingSettings s;
  s.remind_days_before = 2;
  s.max_overdue_reminders = 0;
  // The reminder would fall exactly an hour after the notice: kept.
  auto plan = plan_training_mail(s, kNow, kNow + 2 * kDay + kHour);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[1].kind, "reminder");
  EXPECT_EQ(plan[1].send_at, kNow + kHour);
  // A second less than an hour: dropped.
  plan = plan_training_mail(s, kNow, kNow + 2 * kDay + kHour - 1);
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"assigned"}));
  // Due sooner than the reminder lead time: the reminder would be in the past.
  plan = plan_training_mail(s, kNow, kNow + kDay);
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"assigned"}));
}

TEST(PlanTrainingMail, NoReminderWhenRemindDaysBeforeIsZero) {
  TrainingSettings s;
  s.remind_days_before = 0;
  s.max_overdue_reminders = 0;
  const auto plan = plan_training_mail(s, kNow, kNow + 30 * kDay);
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"assigned"}));
}

TEST(PlanTrainingMail, NoOverdueRemindersWhenMaxIsZero) {
  TrainingSettings s;
  s.max_overdue_reminders = 0;
  const auto plan = plan_training_mail(s, kNow, kNow + 7 * kDay);
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"assigned", "reminder"}));
}

TEST(PlanTrainingMail, OverdueRemindersFollowTheInterval) {
  TrainingSettings s;
  s.remind_days_before = 0;
  s.overdue_every_days = 7;
  s.max_overdue_reminders = 2;
  const std::int64_t due = kNow + 14 * kDay;
  const auto plan = plan_training_mail(s, kNow, due);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[1].kind, "overdue");
  EXPECT_EQ(plan[1].send_at, due + kHour);
  EXPECT_EQ(plan[2].kind, "overdue");
  EXPECT_EQ(plan[2].send_at, due + kHour + 7 * kDay);
}

}  // namespace
}  // namespace phishdrill
