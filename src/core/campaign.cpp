#include "core/campaign.h"

#include <algorithm>
#include <set>

#include "core/landing_page.h"
#include "core/text_rules.h"

namespace phishdrill {

std::string_view campaign_status_name(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::kDraft:
      return "draft";
    case CampaignStatus::kActive:
      return "active";
    case CampaignStatus::kCompleted:
      return "completed";
    case CampaignStatus::kCancelled:
      return "cancelled";
  }
  return "draft";
}

std::optional<CampaignStatus> parse_campaign_status(std::string_view name) {
  if (name == "draft") return CampaignStatus::kDraft;
  if (name == "active") return CampaignStatus::kActive;
  if (name == "completed") return CampaignStatus::kCompleted;
  if (name == "cancelled") return CampaignStatus::kCancelled;
  return std::nullopt;
}

bool SendWindow::any_time() const {
  return std::none_of(days.begin(), days.end(), [](bool d) { return d; });
}

namespace {

constexpr std::int64_t kDay = 86400;

// Local seconds since the epoch, and the weekday (Monday = 0) of a local day.
std::int64_t to_local(std::int64_t utc, int offset_minutes) {
  return utc + std::int64_t{offset_minutes} * 60;
}

int weekday_of_local_day(std::int64_t local_day) {
  // 1970-01-01 was a Thursday (Monday = 0 → Thursday = 3).
  return static_cast<int>(((local_day % 7) + 7 + 3) % 7);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

bool SendWindow::contains(std::int64_t unix_seconds) const {
  if (any_time()) return true;
  const std::int64_t local = to_local(unix_seconds, utc_offset_minutes);
  const std::int64_t day = floor_div(local, kDay);
  const std::int64_t minute = (local - day * kDay) / 60;
  return days[static_cast<std::size_t>(weekday_of_local_day(day))] && minute >= start_minute &&
         minute < end_minute;
}

std::int64_t SendWindow::next_open(std::int64_t unix_seconds) const {
  if (any_time() || contains(unix_seconds)) return unix_seconds;
  const std::int64_t offset = std::int64_t{utc_offset_minutes} * 60;
  const std::int64_t local = unix_seconds + offset;
  std::int64_t day = floor_div(local, kDay);
  for (int i = 0; i <= 7; ++i, ++day) {
    if (!days[static_cast<std::size_t>(weekday_of_local_day(day))]) continue;
    const std::int64_t open = day * kDay + std::int64_t{start_minute} * 60;
    const std::int64_t close = day * kDay + std::int64_t{end_minute} * 60;
    if (local < close) return std::max(open, local) - offset;
  }
  return unix_seconds;  // unreachable with at least one day set
}

Result<void> validate_campaign(Campaign& c) {
  c.name = trim(c.name);
  c.base_url = trim(c.base_url);
  while (c.base_url.ends_with('/')) c.base_url.pop_back();
  if (auto ok = check_line(c.name, "name", 200, true); !ok) return ok;
  if (c.follow_up) {
    if (auto ok = validate_follow_up(*c.follow_up); !ok) return ok;
  }
  if (c.templates.empty() || c.templates.size() > 20) {
    return fail(ErrorCode::kValidation, "choose 1 to 20 templates", "templates");
  }
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    const auto& t = c.templates[i];
    if (t.weight < 1 || t.weight > 1000) {
      return fail(ErrorCode::kValidation, "weight must be from 1 to 1000",
                  "templates[" + std::to_string(i) + "].weight");
    }
    if (!seen.insert(t.template_id).second) {
      return fail(ErrorCode::kValidation, "a template is listed twice",
                  "templates[" + std::to_string(i) + "].template_id");
    }
  }
  seen.clear();
  if (c.group_ids.empty() || c.group_ids.size() > 100) {
    return fail(ErrorCode::kValidation, "choose 1 to 100 groups", "group_ids");
  }
  for (const auto id : c.group_ids) {
    if (!seen.insert(id).second) {
      return fail(ErrorCode::kValidation, "a group is listed twice", "group_ids");
    }
  }
  if (c.profile_id <= 0) {
    return fail(ErrorCode::kValidation, "profile_id is required", "profile_id");
  }
  if (!c.base_url.empty() && !is_http_url(c.base_url)) {
    return fail(ErrorCode::kValidation, "base_url must be an absolute http:// or https:// URL",
                "base_url");
  }
  if (c.send_by != 0 && c.launch_at != 0 && c.send_by <= c.launch_at) {
    return fail(ErrorCode::kValidation, "send_by must be after launch_at", "send_by");
  }
  if (c.jitter_seconds < 0 || c.jitter_seconds > 86400) {
    return fail(ErrorCode::kValidation, "jitter_seconds must be from 0 to 86400", "jitter_seconds");
  }
  const auto& w = c.window;
  if (w.start_minute < 0 || w.start_minute > 1439 || w.end_minute <= w.start_minute ||
      w.end_minute > 1440) {
    return fail(ErrorCode::kValidation, "the window must start before it ends, within a day",
                "window");
  }
  if (w.utc_offset_minutes < -840 || w.utc_offset_minutes > 840) {
    return fail(ErrorCode::kValidation, "utc_offset_minutes must be from -840 to 840",
                "window.utc_offset_minutes");
  }
  return {};
}

std::string_view campaign_phase(const Campaign& c, std::int64_t now, bool has_unsent) {
  switch (c.status) {
    case CampaignStatus::kDraft:
      return "draft";
    case CampaignStatus::kCompleted:
      return "completed";
    case CampaignStatus::kCancelled:
      return "cancelled";
    case CampaignStatus::kActive:
      if (now < c.launch_at) return "scheduled";
      return has_unsent ? "sending" : "sent";
  }
  return "draft";
}

}  // namespace phishdrill
