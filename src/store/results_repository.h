// Port: a campaign's results as people: recipients by send state and by
// result, each recipient's funnel and the campaign's people counters (kept as
// events arrive, written only by the hit-recording services), and the
// timeline. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/funnel.h"
#include "core/recipient.h"
#include "store/page.h"

namespace phishdrill {

struct RecipientCounts {
  std::int64_t total = 0;
  std::int64_t queued = 0;
  std::int64_t sending = 0;
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;

  // Counts `n` recipients in `state` (and in the total).
  void add(SendState state, std::int64_t n) {
    total += n;
    switch (state) {
      case SendState::kQueued:
        queued += n;
        break;
      case SendState::kSending:
        sending += n;
        break;
      case SendState::kSent:
        sent += n;
        break;
      case SendState::kFailed:
        failed += n;
        break;
      case SendState::kCancelled:
        cancelled += n;
        break;
    }
  }
};

// Which recipients a results list shows.
struct RecipientFilter {
  std::optional<SendState> state;
  std::optional<int> result_rank;  // exact human result: 0 none … 3 submitted
  bool reported_only = false;
  std::string search;  // substring of email, first or last name (ASCII case-insensitive)
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

// A recipient's result and the campaign it counts in.
struct RecipientFunnel {
  std::int64_t campaign_id = 0;
  Funnel funnel;
};

struct FunnelUpdate {
  std::int64_t recipient_id = 0;
  Funnel funnel;
};

class ResultsRepository {
 public:
  virtual ~ResultsRepository() = default;

  virtual RecipientCounts count_recipients(std::int64_t campaign_id) = 0;
  virtual Page<Recipient> list_recipients(std::int64_t campaign_id, const RecipientFilter& filter,
                                          PageRequest page) = 0;

  virtual ResultCounts result_counts(std::int64_t campaign_id) = 0;
  // First and last time anything happened to the campaign's recipients
  // (sent or a first human result); {0, 0} when nothing yet.
  virtual std::pair<std::int64_t, std::int64_t> activity_span(std::int64_t campaign_id) = 0;
  // Non-empty buckets of `bucket_seconds`, by time.
  virtual std::vector<TimelineBucket> timeline(std::int64_t campaign_id,
                                               std::int64_t bucket_seconds) = 0;

  virtual std::optional<RecipientFunnel> recipient_funnel(std::int64_t recipient_id) = 0;
  virtual void set_recipient_funnel(std::int64_t recipient_id, const Funnel& funnel) = 0;
  // The same for many recipients at once (the tracking writer's batches):
  // the funnels of those that exist, by id; each update sets one funnel.
  virtual std::unordered_map<std::int64_t, RecipientFunnel> recipient_funnels(
      std::span<const std::int64_t> recipient_ids) = 0;
  virtual void set_recipient_funnels(std::span<const FunnelUpdate> updates) = 0;
  // Moves the campaign's people counters (and automated-event count) by `delta`.
  virtual void add_to_counters(std::int64_t campaign_id, const CounterDelta& delta) = 0;
};

}  // namespace phishdrill
