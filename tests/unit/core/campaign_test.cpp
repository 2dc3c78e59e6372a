#include "core/campaign.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace phishdrill {
namespace {

// 2024-01-01 00:00:00 UTC was a Monday.
constexpr std::int64_t kMonday = 1704067200;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kMinute = 60;

constexpr std::int64_t at(int day, int hour, int minute = 0, int second = 0) {
  return kMonday + day * kDay + hour * kHour + minute * kMinute + second;
}

SendWindow weekdays_9_to_17(int offset_minutes = 0) {
  SendWindow w;
  for (int d = 0; d < 5; ++d) w.days[static_cast<std::size_t>(d)] = true;
  w.start_minute = 9 * 60;
  w.end_minute = 17 * 60;
  w.utc_offset_minutes = offset_minutes;
  return w;
}

SendWindow only_day(int day, int start_minute, int end_minute, int offset_minutes = 0) {
  SendWindow w;
  w.days[static_cast<std::size_t>(day)] = true;
  w.start_minute = start_minute;
  w.end_minute = end_minute;
  w.utc_offset_minutes = offset_minutes;
  return w;
}

Campaign valid_campaign() {
  Campaign c;
  c.name = "Q3 payroll drill";
  c.templates = {{1, 1}, {2, 3}};
  c.group_ids = {10, 11};
  c.profile_id = 5;
  c.base_url = "https://phish.example.com";
  return c;
}

std::string field_of(Campaign c) {
  auto result = validate_campaign(c);
  if (result) return "<ok>";
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  return result.error().field;
}

// --- validate_campaign -----------------------------------------------------

TEST(ValidateCampaign, AcceptsValidCampaign) {
  Campaign c = valid_campaign();
  auto result = validate_campaign(c);
  ASSERT_TRUE(result.has_value()) << result.error().message;
}

TEST(ValidateCampaign, TrimsNameAndBaseUrlTrailingSlashes) {
  Campaign c = valid_campaign();
  c.name = "  Spring drill \t";
  c.base_url = " https://phish.example.com/x// ";
  ASSERT_TRUE(validate_campaign(c).has_value());
  EXPECT_EQ(c.name, "Spring drill");
  EXPECT_EQ(c.base_url, "https://phish.example.com/x");
}

TEST(ValidateCampaign, Name) {
  Campaign c = valid_campaign();
  c.name = "   ";
  EXPECT_EQ(field_of(c), "name");
  c.name = std::string(201, 'a');
  EXPECT_EQ(field_of(c), "name");
  c.name = std::string(200, 'a');
  EXPECT_EQ(field_of(c), "<ok>");
  c.name = "two\nlines";
  EXPECT_EQ(field_of(c), "name");
}

TEST(ValidateCampaign, TemplatesCount) {
  Campaign c = valid_campaign();
  c.templates.clear();
  EXPECT_EQ(field_of(c), "templates");
  for (int i = 0; i < 21; ++i) c.templates.push_back({i + 1, 1});
  EXPECT_EQ(field_of(c), "templates");
  c.templates.pop_back();
  EXPECT_EQ(field_of(c), "<ok>");
}

TEST(ValidateCampaign, TemplateWeightsAndDuplicatesNameTheIndex) {
  Campaign c = valid_campaign();
  c.templates = {{1, 1}, {2, 0}};
  EXPECT_EQ(field_of(c), "templates[1].weight");
  c.templates = {{1, 1001}, {2, 1}};
  EXPECT_EQ(field_of(c), "templates[0].weight");
  c.templates = {{1, 1000}, {2, 1}};
  EXPECT_EQ(field_of(c), "<ok>");
  c.templates = {{1, 1}, {2, 1}, {1, 5}};
  EXPECT_EQ(field_of(c), "templates[2].template_id");
}

TEST(ValidateCampaign, Groups) {
  Campaign c = valid_campaign();
  c.group_ids.clear();
  EXPECT_EQ(field_of(c), "group_ids");
  for (int i = 0; i < 101; ++i) c.group_ids.push_back(i + 1);
  EXPECT_EQ(field_of(c), "group_ids");
  c.group_ids.pop_back();
  EXPECT_EQ(field_of(c), "<ok>");
  c.group_ids = {3, 4, 3};
  EXPECT_EQ(field_of(c), "group_ids");
}

TEST(ValidateCampaign, ProfileRequired) {
  Campaign c = valid_campaign();
  c.profile_id = 0;
  EXPECT_EQ(field_of(c), "profile_id");
  c.profile_id = -1;
  EXPECT_EQ(field_of(c), "profile_id");
}

TEST(ValidateCampaign, BaseUrl) {
  Campaign c = valid_campaign();
  c.base_url = "";
  EXPECT_EQ(field_of(c), "<ok>");
  c.base_url = "http://10.0.0.1:8080";
  EXPECT_EQ(field_of(c), "<ok>");
  c.base_url = "ftp://phish.example.com";
  EXPECT_EQ(field_of(c), "base_url");
  c.base_url = "phish.example.com";
  EXPECT_EQ(field_of(c), "base_url");
}

TEST(ValidateCampaign, SendByMustFollowLaunch) {
  Campaign c = valid_campaign();
  c.launch_at = at(0, 9);
  c.send_by = at(0, 9);
  EXPECT_EQ(field_of(c), "send_by");
  c.send_by = at(0, 8);
  EXPECT_EQ(field_of(c), "send_by");
  c.send_by = at(0, 9) + 1;
  EXPECT_EQ(field_of(c), "<ok>");
  // Either one unset: nothing to compare.
  c.launch_at = 0;
  c.send_by = at(0, 8);
  EXPECT_EQ(field_of(c), "<ok>");
  c.launch_at = at(0, 9);
  c.send_by = 0;
  EXPECT_EQ(field_of(c), "<ok>");
}

TEST(ValidateCampaign, Jitter) {
  Campaign c = valid_campaign();
  c.jitter_seconds = -1;
  EXPECT_EQ(field_of(c), "jitter_seconds");
  c.jitter_seconds = 86401;
  EXPECT_EQ(field_of(c), "jitter_seconds");
  c.jitter_seconds = 86400;
  EXPECT_EQ(field_of(c), "<ok>");
  c.jitter_seconds = 0;
  EXPECT_EQ(field_of(c), "<ok>");
}

TEST(ValidateCampaign, WindowBounds) {
  Campaign c = valid_campaign();
  c.window = weekdays_9_to_17();
  EXPECT_EQ(field_of(c), "<ok>");
  c.window.start_minute = -1;
  EXPECT_EQ(field_of(c), "window");
  c.window.start_minute = 1440;
  c.window.end_minute = 1440;
  EXPECT_EQ(field_of(c), "window");
  c.window.start_minute = 600;
  c.window.end_minute = 600;
  EXPECT_EQ(field_of(c), "window");
  c.window.end_minute = 599;
  EXPECT_EQ(field_of(c), "window");
  c.window.end_minute = 1441;
  EXPECT_EQ(field_of(c), "window");
  c.window.start_minute = 1439;
  c.window.end_minute = 1440;
  EXPECT_EQ(field_of(c), "<ok>");
}

TEST(ValidateCampaign, UtcOffset) {
  Campaign c = valid_campaign();
  c.window.utc_offset_minutes = 841;
  EXPECT_EQ(field_of(c), "window.utc_offset_minutes");
  c.window.utc_offset_minutes = -841;
  EXPECT_EQ(field_of(c), "window.utc_offset_minutes");
  c.window.utc_offset_minutes = 840;
  EXPECT_EQ(field_of(c), "<ok>");
  c.window.utc_offset_minutes = -840;
  EXPECT_EQ(field_of(c), "<ok>");
}

// --- campaign status names ------------------------------------------------

TEST(CampaignStatus, NamesRoundTrip) {
  for (auto s : {CampaignStatus::kDraft, CampaignStatus::kActive, CampaignStatus::kCompleted,
                 CampaignStatus::kCancelled}) {
    EXPECT_EQ(parse_campaign_status(campaign_status_name(s)), s);
  }
  EXPECT_EQ(campaign_status_name(CampaignStatus::kActive), "active");
  EXPECT_FALSE(parse_campaign_status("Active").has_value());
  EXPECT_FALSE(parse_campaign_status("").has_value());
}

// --- SendWindow -----------------------------------------------------------

TEST(SendWindow, EmptyWindowIsAnyTime) {
  SendWindow w;
  EXPECT_TRUE(w.any_time());
  EXPECT_TRUE(w.contains(at(5, 3)));
  EXPECT_EQ(w.next_open(at(6, 23, 59, 59)), at(6, 23, 59, 59));
}

TEST(SendWindow, WeekdaysAndHoursUtc) {
  const SendWindow w = weekdays_9_to_17();
  EXPECT_FALSE(w.any_time());
  EXPECT_TRUE(w.contains(at(0, 9)));
  EXPECT_FALSE(w.contains(at(0, 8, 59, 59)));
  EXPECT_TRUE(w.contains(at(0, 16, 59, 59)));
  EXPECT_FALSE(w.contains(at(0, 17)));  // end is exclusive
  EXPECT_TRUE(w.contains(at(4, 12)));   // Friday
  EXPECT_FALSE(w.contains(at(5, 12)));  // Saturday
  EXPECT_FALSE(w.contains(at(6, 12)));  // Sunday
}

TEST(SendWindow, PositiveOffset) {
  // UTC+01:00: 09:00-17:00 local is 08:00-16:00 UTC.
  const SendWindow w = weekdays_9_to_17(60);
  EXPECT_TRUE(w.contains(at(0, 8)));
  EXPECT_FALSE(w.contains(at(0, 7, 59, 59)));
  EXPECT_TRUE(w.contains(at(0, 15, 59, 59)));
  EXPECT_FALSE(w.contains(at(0, 16)));
  EXPECT_EQ(w.next_open(at(0, 0)), at(0, 8));
  EXPECT_EQ(w.next_open(at(0, 16)), at(1, 8));
}

TEST(SendWindow, PositiveOffsetMovesTheLocalDay) {
  // Sunday 23:30 UTC is Monday 00:30 at UTC+01:00.
  const SendWindow w = only_day(0, 0, 60, 60);
  EXPECT_TRUE(w.contains(at(-1, 23, 30)));
  EXPECT_FALSE(w.contains(at(0, 0, 30)));  // Monday 01:30 local
  EXPECT_EQ(w.next_open(at(-1, 12)), at(-1, 23));
}

TEST(SendWindow, NegativeOffset) {
  // UTC-05:00: 09:00-17:00 local is 14:00-22:00 UTC.
  const SendWindow w = weekdays_9_to_17(-300);
  EXPECT_TRUE(w.contains(at(0, 14)));
  EXPECT_FALSE(w.contains(at(0, 13, 59, 59)));
  EXPECT_TRUE(w.contains(at(0, 21, 59, 59)));
  EXPECT_FALSE(w.contains(at(0, 22)));
  // Saturday 02:00 UTC is still Friday 21:00 local: closed (after 17:00).
  EXPECT_FALSE(w.contains(at(5, 2)));
  EXPECT_EQ(w.next_open(at(0, 9)), at(0, 14));
  // Friday 17:30 local → Monday 09:00 local.
  EXPECT_EQ(w.next_open(at(4, 22, 30)), at(7, 14));
}

TEST(SendWindow, NegativeOffsetMovesTheLocalDay) {
  // Monday only, 09:00-22:00 at UTC-05:00. Tuesday 02:30 UTC is Monday 21:30 local.
  const SendWindow w = only_day(0, 9 * 60, 22 * 60, -300);
  EXPECT_TRUE(w.contains(at(1, 2, 30)));
  EXPECT_FALSE(w.contains(at(1, 3)));  // Monday 22:00 local
  EXPECT_FALSE(w.contains(at(0, 3)));  // Sunday 22:00 local
  EXPECT_EQ(w.next_open(at(0, 3)), at(0, 14));
  EXPECT_EQ(w.next_open(at(1, 3)), at(7, 14));
}

TEST(SendWindow, WindowEndingAtMidnight) {
  const SendWindow w = only_day(4, 22 * 60, 1440);  // Friday 22:00-24:00
  EXPECT_TRUE(w.contains(at(4, 22)));
  EXPECT_TRUE(w.contains(at(4, 23, 59, 59)));
  EXPECT_FALSE(w.contains(at(5, 0)));
  EXPECT_FALSE(w.contains(at(4, 21, 59, 59)));
  EXPECT_EQ(w.next_open(at(4, 23, 59, 59)), at(4, 23, 59, 59));
  // From Saturday 00:00 the next opening is the following Friday 22:00.
  EXPECT_EQ(w.next_open(at(5, 0)), at(11, 22));
}

TEST(SendWindow, WindowEndingAtMidnightWithOffset) {
  // Monday 20:00-24:00 at UTC+02:00 is Monday 18:00-22:00 UTC.
  const SendWindow w = only_day(0, 20 * 60, 1440, 120);
  EXPECT_TRUE(w.contains(at(0, 21, 59, 59)));
  EXPECT_FALSE(w.contains(at(0, 22)));
  EXPECT_EQ(w.next_open(at(0, 12)), at(0, 18));
}

TEST(SendWindow, NextOpenInsideReturnsSameSecond) {
  const SendWindow w = weekdays_9_to_17();
  EXPECT_EQ(w.next_open(at(2, 10, 11, 12)), at(2, 10, 11, 12));
}

TEST(SendWindow, NextOpenSkipsDisabledDays) {
  const SendWindow w = weekdays_9_to_17();
  EXPECT_EQ(w.next_open(at(0, 8)), at(0, 9));   // Monday before opening
  EXPECT_EQ(w.next_open(at(0, 17)), at(1, 9));  // Monday after closing
  EXPECT_EQ(w.next_open(at(4, 17)), at(7, 9));  // Friday evening → Monday
  EXPECT_EQ(w.next_open(at(5, 12)), at(7, 9));  // Saturday → Monday
  EXPECT_EQ(w.next_open(at(6, 23)), at(7, 9));  // Sunday night → Monday
}

TEST(SendWindow, NextOpenAcrossAWholeWeek) {
  // Wednesday only, 08:00-09:00. From Wednesday 10:00, the next opening is a week later.
  const SendWindow w = only_day(2, 8 * 60, 9 * 60);
  EXPECT_EQ(w.next_open(at(2, 10)), at(9, 8));
  EXPECT_EQ(w.next_open(at(2, 9)), at(9, 8));
  EXPECT_EQ(w.next_open(at(2, 7)), at(2, 8));
  EXPECT_EQ(w.next_open(at(3, 0)), at(9, 8));
}

TEST(SendWindow, NextOpenIsAlwaysContained) {
  const SendWindow windows[] = {weekdays_9_to_17(), weekdays_9_to_17(60), weekdays_9_to_17(-300),
                                only_day(6, 0, 1440, 840), only_day(0, 1439, 1440, -840)};
  for (const auto& w : windows) {
    for (std::int64_t t = at(-3, 0); t < at(10, 0); t += 7 * kMinute + 13) {
      const auto open = w.next_open(t);
      ASSERT_GE(open, t);
      ASSERT_TRUE(w.contains(open)) << "from " << t << " offset " << w.utc_offset_minutes;
      ASSERT_LT(open - t, 8 * kDay);
      if (open > t) {
        ASSERT_FALSE(w.contains(open - 1)) << "not the first open second";
      }
    }
  }
}

// --- campaign_phase -------------------------------------------------------

TEST(CampaignPhase, EachStatus) {
  Campaign c = valid_campaign();
  c.launch_at = at(1, 9);
  const auto before = at(1, 8);
  const auto after = at(1, 10);

  c.status = CampaignStatus::kDraft;
  EXPECT_EQ(campaign_phase(c, after, true), "draft");

  c.status = CampaignStatus::kActive;
  EXPECT_EQ(campaign_phase(c, before, true), "scheduled");
  EXPECT_EQ(campaign_phase(c, at(1, 9), true), "sending");
  EXPECT_EQ(campaign_phase(c, after, true), "sending");
  EXPECT_EQ(campaign_phase(c, after, false), "sent");

  c.status = CampaignStatus::kCompleted;
  EXPECT_EQ(campaign_phase(c, after, true), "completed");
  EXPECT_EQ(campaign_phase(c, before, false), "completed");

  c.status = CampaignStatus::kCancelled;
  EXPECT_EQ(campaign_phase(c, after, true), "cancelled");
  EXPECT_EQ(campaign_phase(c, before, false), "cancelled");
}

}  // namespace
}  // namespace phishdrill
