#include <algorithm>
#include <map>

#include "store/postgres/id_array.h"
#include "store/postgres/recipient_rows.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

// A LIKE pattern matching `search` anywhere, its wildcards taken literally.
std::string contains_pattern(const std::string& search) {
  std::string pattern = "%";
  for (const char c : search) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace

RecipientCounts PgResults::count_recipients(std::int64_t campaign_id) {
  const auto rows = db_.run(
      "SELECT state, COUNT(*) FROM recipients WHERE campaign_id = $1 GROUP BY state", campaign_id);
  RecipientCounts counts;
  for (int i = 0; i < rows.size(); ++i) {
    counts.add(parse_send_state(rows.text(i, 0)).value_or(SendState::kQueued), rows.int64(i, 1));
  }
  return counts;
}

Page<Recipient> PgResults::list_recipients(std::int64_t campaign_id, const RecipientFilter& filter,
                                           PageRequest page) {
  // One statement for every filter (NULL = no condition), so it is prepared
  // once. ILIKE: the search ignores case, as SQLite's LIKE does.
  const auto rows = db_.run(
      "SELECT " + kRecipientColumns +
          " FROM recipients WHERE campaign_id = $1 AND id > $2 "
          "AND ($3::text IS NULL OR state = $3) AND ($4::bigint IS NULL OR status_rank = $4) "
          "AND (NOT $5 OR reported_at > 0) AND ($6::text IS NULL OR email ILIKE $6 OR "
          "first_name ILIKE $6 OR last_name ILIKE $6) ORDER BY id LIMIT $7",
      campaign_id, page.after_id,
      filter.state ? param(send_state_name(*filter.state)) : std::nullopt,
      filter.result_rank ? param(static_cast<std::int64_t>(*filter.result_rank)) : std::nullopt,
      filter.reported_only,
      filter.search.empty() ? std::nullopt : param(contains_pattern(filter.search)),
      page.limit + 1);
  return collect_page<Recipient>(rows, page.limit, read_recipient<Row>);
}

ResultCounts PgResults::result_counts(std::int64_t campaign_id) {
  const auto rows = db_.run(
      "SELECT opened, clicked, submitted, reported, automated_events FROM campaigns WHERE id = $1",
      campaign_id);
  if (rows.empty()) return {};
  return {rows.int64(0, 0), rows.int64(0, 1), rows.int64(0, 2), rows.int64(0, 3), rows.int64(0, 4)};
}

std::pair<std::int64_t, std::int64_t> PgResults::activity_span(std::int64_t campaign_id) {
  const auto rows = db_.run(
      "SELECT MIN(sent_at) FILTER (WHERE sent_at > 0), "
      "MAX(GREATEST(sent_at, first_opened_at, first_clicked_at, first_submitted_at, reported_at)) "
      "FROM recipients WHERE campaign_id = $1",
      campaign_id);
  if (rows.empty() || rows.is_null(0, 0)) return {0, 0};
  return {rows.int64(0, 0), rows.int64(0, 1)};
}

std::vector<TimelineBucket> PgResults::timeline(std::int64_t campaign_id,
                                                std::int64_t bucket_seconds) {
  const auto rows = db_.run(
      "SELECT sent_at, first_opened_at, first_clicked_at, first_submitted_at, reported_at "
      "FROM recipients WHERE campaign_id = $1 AND sent_at > 0",
      campaign_id);
  const std::int64_t b = std::max<std::int64_t>(1, bucket_seconds);
  std::map<std::int64_t, TimelineBucket> buckets;
  const auto count = [&](std::int64_t at, std::int64_t TimelineBucket::*stage) {
    if (at <= 0) return;
    auto& bucket = buckets[at / b * b];
    bucket.start = at / b * b;
    ++(bucket.*stage);
  };
  for (int i = 0; i < rows.size(); ++i) {
    count(rows.int64(i, 0), &TimelineBucket::sent);
    count(rows.int64(i, 1), &TimelineBucket::opened);
    count(rows.int64(i, 2), &TimelineBucket::clicked);
    count(rows.int64(i, 3), &TimelineBucket::submitted);
    count(rows.int64(i, 4), &TimelineBucket::reported);
  }
  std::vector<TimelineBucket> out;
  out.reserve(buckets.size());
  for (auto& [start, bucket] : buckets) out.push_back(bucket);
  return out;
}

std::optional<RecipientFunnel> PgResults::recipient_funnel(std::int64_t recipient_id) {
  const auto rows = db_.run(
      "SELECT campaign_id, status_rank, first_opened_at, first_clicked_at, first_submitted_at, "
      "reported_at FROM recipients WHERE id = $1",
      recipient_id);
  if (rows.empty()) return std::nullopt;
  return RecipientFunnel{rows.int64(0, 0),
                         Funnel{static_cast<int>(rows.int64(0, 1)), rows.int64(0, 2),
                                rows.int64(0, 3), rows.int64(0, 4), rows.int64(0, 5)}};
}

void PgResults::set_recipient_funnel(std::int64_t recipient_id, const Funnel& f) {
  db_.run(
      "UPDATE recipients SET status_rank = $1, first_opened_at = $2, first_clicked_at = $3, "
      "first_submitted_at = $4, reported_at = $5 WHERE id = $6",
      f.rank, f.first_opened_at, f.first_clicked_at, f.first_submitted_at, f.reported_at,
      recipient_id);
}

std::unordered_map<std::int64_t, RecipientFunnel> PgResults::recipient_funnels(
    std::span<const std::int64_t> recipient_ids) {
  std::unordered_map<std::int64_t, RecipientFunnel> found;
  if (recipient_ids.empty()) return found;
  const auto rows = db_.run(
      "SELECT id, campaign_id, status_rank, first_opened_at, first_clicked_at, "
      "first_submitted_at, reported_at FROM recipients WHERE id = ANY($1::bigint[])",
      id_array(recipient_ids));
  for (int i = 0; i < rows.size(); ++i) {
    found.emplace(rows.int64(i, 0),
                  RecipientFunnel{rows.int64(i, 1),
                                  Funnel{static_cast<int>(rows.int64(i, 2)), rows.int64(i, 3),
                                         rows.int64(i, 4), rows.int64(i, 5), rows.int64(i, 6)}});
  }
  return found;
}

void PgResults::set_recipient_funnels(std::span<const FunnelUpdate> updates) {
  if (updates.empty()) return;
  auto numbers = [&](auto project) { return number_array(updates, project); };
  db_.run(
      "UPDATE recipients r SET status_rank = u.rank, first_opened_at = u.opened, "
      "first_clicked_at = u.clicked, first_submitted_at = u.submitted, reported_at = u.reported "
      "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], "
      "$6::bigint[]) AS u(id, rank, opened, clicked, submitted, reported) WHERE r.id = u.id",
      numbers([](const FunnelUpdate& u) { return u.recipient_id; }),
      numbers([](const FunnelUpdate& u) { return std::int64_t{u.funnel.rank}; }),
      numbers([](const FunnelUpdate& u) { return u.funnel.first_opened_at; }),
      numbers([](const FunnelUpdate& u) { return u.funnel.first_clicked_at; }),
      numbers([](const FunnelUpdate& u) { return u.funnel.first_submitted_at; }),
      numbers([](const FunnelUpdate& u) { return u.funnel.reported_at; }));
}

void PgResults::add_to_counters(std::int64_t campaign_id, const CounterDelta& d) {
  if (d.empty()) return;
  db_.run(
      "UPDATE campaigns SET opened = opened + $1, clicked = clicked + $2, "
      "submitted = submitted + $3, reported = reported + $4, "
      "automated_events = automated_events + $5 WHERE id = $6",
      d.opened, d.clicked, d.submitted, d.reported, d.automated_events, campaign_id);
}

}  // namespace phishdrill::pg
