// Port: campaigns, their variants (template snapshots taken at launch), their
// recipients and the append-only event log, plus the dispatcher's queue
// operations (claim under a lease, then mark sent / retry / failed). Every
// admin-facing method is scoped by workspace; dispatcher methods work on ids
// the dispatcher itself claimed. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/campaign.h"
#include "core/email_template.h"
#include "core/error.h"
#include "core/recipient.h"
#include "core/target.h"
#include "store/page.h"

namespace phishdrill {

// The content of one template as it was at launch, with its weight.
struct CampaignVariant {
  std::int64_t id = 0;
  std::int64_t template_id = 0;
  int weight = 1;
  EmailTemplate content;
};

struct RecipientCounts {
  std::int64_t total = 0;
  std::int64_t queued = 0;
  std::int64_t sending = 0;
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
};

// What the dispatcher needs about a claimed recipient's campaign.
struct DispatchInfo {
  std::int64_t workspace_id = 0;
  CampaignStatus status = CampaignStatus::kDraft;
  std::int64_t profile_id = 0;
  std::string base_url;
};

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

// Which recipients a results list shows.
struct RecipientFilter {
  std::optional<SendState> state;
  std::optional<int> result_rank;  // exact human result: 0 none … 3 submitted
  bool reported_only = false;
  std::string search;  // substring of email, first or last name (ASCII case-insensitive)
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

// Results counted as events arrive: people, not events; humans only.
struct ResultCounts {
  std::int64_t opened = 0;
  std::int64_t clicked = 0;
  std::int64_t submitted = 0;
  std::int64_t reported = 0;
  std::int64_t automated_events = 0;
};

// People reaching each stage in one time bucket (humans only; a person counts
// once per stage, in the bucket where they first reached it).
struct TimelineBucket {
  std::int64_t start = 0;  // Unix seconds
  std::int64_t sent = 0;
  std::int64_t opened = 0;  // opened, or went further without a recorded open
  std::int64_t clicked = 0;
  std::int64_t submitted = 0;
  std::int64_t reported = 0;
};

class CampaignsRepository {
 public:
  virtual ~CampaignsRepository() = default;

  // Name unique per workspace (kConflict, field "name").
  virtual Result<Campaign> create_campaign(std::int64_t workspace_id, const Campaign& c) = 0;
  virtual std::optional<Campaign> find_campaign(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Campaign> list_campaigns(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_campaign(std::int64_t workspace_id, const Campaign& c) = 0;
  // Deletes the campaign with its variants, recipients and events.
  virtual bool delete_campaign(std::int64_t workspace_id, std::int64_t id) = 0;

  // Distinct targets of the given groups (a person in two groups once), by id.
  virtual std::vector<Target> targets_of_groups(std::int64_t workspace_id,
                                                const std::vector<std::int64_t>& group_ids) = 0;
  virtual std::int64_t insert_variant(std::int64_t campaign_id, const CampaignVariant& v) = 0;
  virtual std::optional<CampaignVariant> find_variant(std::int64_t id) = 0;
  virtual void insert_recipients(std::int64_t workspace_id, std::int64_t campaign_id,
                                 const std::vector<Recipient>& recipients) = 0;
  // Sets status (and launched_at / completed_at / launch_at as given in `c`).
  virtual void set_campaign_state(const Campaign& c) = 0;
  // Queued recipients of the campaign become cancelled; returns how many.
  virtual std::int64_t cancel_unsent(std::int64_t campaign_id) = 0;

  virtual RecipientCounts count_recipients(std::int64_t campaign_id) = 0;
  virtual Page<Recipient> list_recipients(std::int64_t campaign_id, const RecipientFilter& filter,
                                          PageRequest page) = 0;

  // Dispatcher: claims up to `limit` recipients of active campaigns that are
  // due (queued with send_at <= now) or whose lease expired (in doubt after a
  // crash), moving them to kSending until `lease_until` and counting an attempt.
  virtual std::vector<Recipient> claim_due(std::int64_t now, std::int64_t lease_until,
                                           int limit) = 0;
  virtual std::optional<DispatchInfo> dispatch_info(std::int64_t campaign_id) = 0;
  virtual void mark_sent(std::int64_t recipient_id, std::int64_t at) = 0;
  // Back to the queue for `next_at` (cancelled instead when the campaign
  // finished meanwhile, so nothing lingers queued on a finished campaign).
  virtual void mark_retry(std::int64_t recipient_id, std::int64_t next_at, const std::string& error,
                          int smtp_code) = 0;
  virtual void mark_failed(std::int64_t recipient_id, const std::string& error, int smtp_code) = 0;
  virtual void mark_cancelled(std::int64_t recipient_id) = 0;
  // Gives back a claim that was never tried (the dispatcher is stopping):
  // queued again at once, its attempt not counted.
  virtual void release_claim(std::int64_t recipient_id) = 0;
  // Extends the lease of a recipient this dispatcher holds.
  virtual void renew_lease(std::int64_t recipient_id, std::int64_t lease_until) = 0;

  virtual void append_event(const EventRecord& event) = 0;
  // The id the next appended event will get (ids grow with time).
  virtual std::int64_t next_event_id() = 0;
  // recipient_id 0 = every recipient.
  virtual Page<EventRecord> list_events(std::int64_t campaign_id, std::int64_t recipient_id,
                                        PageRequest page) = 0;

  // Tracking. find_rid reads one recipient row (and its campaign's status).
  virtual std::optional<RidInfo> find_rid(std::string_view rid) = 0;
  // True while the campaign accepts hits (it is active).
  virtual bool campaign_active(std::int64_t campaign_id) = 0;
  // Appends a hit and, when human, moves the recipient forward (never back)
  // to `rank` (1 opened, 2 clicked, 3 submitted; 0 none) or marks it
  // reported, updating the campaign's people counters in the same
  // transaction. Automated hits are counted by add_automated_events, which a
  // batch calls once per campaign.
  virtual void record_hit(const EventRecord& event, int rank, bool report) = 0;
  virtual void add_automated_events(std::int64_t campaign_id, std::int64_t count) = 0;
  // Marks the recipient's human hits in [from, to] that came from `ip` with
  // `user_agent` automated with `reason`; returns how many changed
  // (counters follow).
  virtual std::int64_t mark_automated_between(std::int64_t recipient_id, std::int64_t from,
                                              std::int64_t to, const std::string& ip,
                                              const std::string& user_agent,
                                              const std::string& reason) = 0;
  // Flags every human click from `ip` in [from, to] suspect with `reason`
  // (many recipients clicked from that address); they stay human and counted.
  // Returns how many changed. `min_event_id` bounds the scan: events are
  // appended in time order, so the caller passes an id no later than the
  // first event at `from`.
  virtual std::int64_t flag_address_suspect_between(const std::string& ip,
                                                    std::int64_t min_event_id, std::int64_t from,
                                                    std::int64_t to, const std::string& reason) = 0;
  // Sets one event's classification (operator override) at `now`; false when
  // the event is not in the campaign. Counters follow, and so does the
  // campaign's follow-up training (assigned as of `now`).
  virtual bool reclassify_event(std::int64_t campaign_id, std::int64_t event_id, bool automated,
                                const std::string& reason, std::int64_t now) = 0;
  virtual ResultCounts result_counts(std::int64_t campaign_id) = 0;
  // First and last time anything happened to the campaign's recipients
  // (sent or a first human result); {0, 0} when nothing yet.
  virtual std::pair<std::int64_t, std::int64_t> activity_span(std::int64_t campaign_id) = 0;
  // Non-empty buckets of `bucket_seconds`, by time.
  virtual std::vector<TimelineBucket> timeline(std::int64_t campaign_id,
                                               std::int64_t bucket_seconds) = 0;
  // Distinct targets in these groups of the workspace (a draft's audience).
  virtual std::int64_t count_targets_of_groups(std::int64_t workspace_id,
                                               const std::vector<std::int64_t>& group_ids) = 0;
};

}  // namespace phishdrill
