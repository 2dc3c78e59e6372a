// Port: the append-only event log of campaigns and the tracking lookups
// around it (a rid's recipient, whether its campaign is active), with the
// classification writes. What a hit or a new classification does to a
// person's result is decided by the services (service/record_hits.h,
// service/recipient_results.h), not here. Event ids are strictly increasing
// and never reused. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/campaign.h"
#include "core/funnel.h"
#include "core/target.h"
#include "store/page.h"

namespace phishdrill {

struct EventRecord {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t campaign_id = 0;
  std::int64_t recipient_id = 0;
  std::string kind;  // "sent", "send_deferred", "send_failed", later "opened", "clicked", …
  std::int64_t at = 0;
  std::string ip;
  std::string user_agent;
  bool automated = false;
  std::string reason;               // why automated, when it is
  std::string suspect;              // human hits: why an operator may want to look ("" none)
  std::string details_json = "{}";  // never secrets
};

// What a tracking hit needs to know about its rid, in one indexed lookup.
struct RidInfo {
  std::int64_t recipient_id = 0;
  std::int64_t campaign_id = 0;
  std::int64_t workspace_id = 0;
  std::int64_t variant_id = 0;
  std::int64_t page_id = 0;
  std::int64_t sent_at = 0;
  CampaignStatus campaign_status = CampaignStatus::kDraft;
  std::string base_url;
  TargetFields fields;  // the recipient's snapshot (for the teaching page)
  std::int64_t target_id = 0;
  bool has_follow_up = false;  // the campaign assigns training after a click/submission
};

// An event whose classification just changed, and whose recipient's result
// must be recomputed.
struct ChangedEvent {
  std::int64_t campaign_id = 0;
  std::int64_t recipient_id = 0;
  bool was_automated = false;
};

class EventsRepository {
 public:
  virtual ~EventsRepository() = default;

  // Returns the new event's id (greater than every id before it).
  virtual std::int64_t append_event(const EventRecord& event) = 0;
  // Appends every event, in order (ids rising in that order): one statement
  // where the database allows it, for the tracking writer's batches.
  virtual void append_events(std::span<const EventRecord> events) = 0;
  // recipient_id 0 = every recipient.
  virtual Page<EventRecord> list_events(std::int64_t campaign_id, std::int64_t recipient_id,
                                        PageRequest page) = 0;

  // Tracking. find_rid reads one recipient row (and its campaign's status).
  virtual std::optional<RidInfo> find_rid(std::string_view rid) = 0;
  // True while the campaign accepts hits (it is active).
  virtual bool campaign_active(std::int64_t campaign_id) = 0;
  // The recipient's result as its human events alone give it.
  virtual Funnel funnel_from_events(std::int64_t recipient_id) = 0;

  // Classification. Marks the recipient's human opens, clicks and
  // submissions in [from, to] that came from `ip` with `user_agent`
  // automated with `reason`; returns each event it changed.
  virtual std::vector<ChangedEvent> mark_automated_between(std::int64_t recipient_id,
                                                           std::int64_t from, std::int64_t to,
                                                           const std::string& ip,
                                                           const std::string& user_agent,
                                                           const std::string& reason) = 0;
  // Flags every human click from `ip` in [from, to] suspect with `reason`
  // (many recipients clicked from that address); they stay human and counted.
  // Returns how many changed.
  virtual std::int64_t flag_address_suspect_between(const std::string& ip, std::int64_t from,
                                                    std::int64_t to, const std::string& reason) = 0;
  // Sets one event's classification; nullopt when the event is not in the campaign.
  virtual std::optional<ChangedEvent> set_classification(std::int64_t campaign_id,
                                                         std::int64_t event_id, bool automated,
                                                         const std::string& reason) = 0;
};

}  // namespace phishdrill
