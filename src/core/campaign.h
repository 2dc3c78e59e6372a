// Campaign: who gets which simulated email, when, through which relay.
//
// Stored status is draft, active, completed or cancelled; the status shown to
// people is derived (see campaign_phase): an active campaign is "scheduled"
// before its launch time, "sending" while recipients wait, then "sent".
// Pure data plus validation; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/assignment.h"
#include "core/error.h"

namespace phishdrill {

enum class CampaignStatus { kDraft, kActive, kCompleted, kCancelled };

std::string_view campaign_status_name(CampaignStatus status);
std::optional<CampaignStatus> parse_campaign_status(std::string_view name);

struct TemplateWeight {
  std::int64_t template_id = 0;
  int weight = 1;  // 1..1000
};

// When messages may go out: on the given weekdays, between start and end
// (minutes after local midnight, end exclusive), local time being UTC plus
// utc_offset_minutes. An empty window (no days) means "any time".
struct SendWindow {
  std::array<bool, 7> days{};  // Monday = 0 … Sunday = 6
  int start_minute = 0;        // 0..1439
  int end_minute = 1440;       // start+1..1440
  int utc_offset_minutes = 0;  // -840..840

  bool any_time() const;
  // True when `unix_seconds` falls inside the window.
  bool contains(std::int64_t unix_seconds) const;
  // The first second at or after `unix_seconds` inside the window.
  std::int64_t next_open(std::int64_t unix_seconds) const;
};

struct Campaign {
  std::int64_t id = 0;
  std::string name;
  CampaignStatus status = CampaignStatus::kDraft;
  std::vector<TemplateWeight> templates;
  std::vector<std::int64_t> group_ids;
  std::int64_t page_id = 0;     // 0 = none (links lead to the teaching page)
  std::int64_t profile_id = 0;  // required
  std::string base_url;         // links' base; "" = the server's phish.base_url
  std::int64_t launch_at = 0;   // 0 = when launched
  std::int64_t send_by = 0;     // 0 = as fast as the profile's rate allows
  int jitter_seconds = 0;       // random delay added to each send time, 0..86400
  SendWindow window;
  std::uint64_t seed = 0;             // makes template choice and send order reproducible
  std::optional<FollowUp> follow_up;  // training assigned to whoever clicks/submits
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t launched_at = 0;
  std::int64_t completed_at = 0;
};

// name 1-200 chars, 1-20 templates with weights 1..1000 and no duplicates,
// 1-100 groups without duplicates, a profile, base_url empty or http(s),
// send_by after launch_at when both set, jitter 0..86400, a valid window.
Result<void> validate_campaign(Campaign& campaign);

// "draft", "scheduled", "sending", "sent", "completed" or "cancelled".
std::string_view campaign_phase(const Campaign& campaign, std::int64_t now, bool has_unsent);

}  // namespace phishdrill
