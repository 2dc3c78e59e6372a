#include "store/sqlite/recipient_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

RecipientCounts SqliteResults::count_recipients(std::int64_t campaign_id) {
  // Kept by triggers (migration 14): a few rows, however many recipients.
  auto& stmt = db_.cached("SELECT state, n FROM recipient_state_counts WHERE campaign_id = ?");
  stmt.bind(1, campaign_id);
  RecipientCounts counts;
  while (stmt.step()) {
    const auto n = stmt.int64(1);
    counts.add(parse_send_state(stmt.text(0)).value_or(SendState::kQueued), n);
  }
  return counts;
}

Page<Recipient> SqliteResults::list_recipients(std::int64_t campaign_id,
                                               const RecipientFilter& filter, PageRequest page) {
  std::string sql = std::string("SELECT ") + kRecipientColumns +
                    " FROM recipients WHERE campaign_id = ?1 AND id > ?2";
  if (filter.state) sql += " AND state = ?3";
  if (filter.result_rank) sql += " AND status_rank = ?4";
  if (filter.reported_only) sql += " AND reported_at > 0";
  if (!filter.search.empty()) {
    sql +=
        " AND (email LIKE ?5 ESCAPE '\\' OR first_name LIKE ?5 ESCAPE '\\' OR "
        "last_name LIKE ?5 ESCAPE '\\')";
  }
  sql += " ORDER BY id LIMIT ?6";
  auto stmt = db_.prepare(sql);
  stmt.bind(1, campaign_id).bind(2, page.after_id).bind(6, page.limit + 1);
  if (filter.state) stmt.bind(3, send_state_name(*filter.state));
  if (filter.result_rank) stmt.bind(4, *filter.result_rank);
  if (!filter.search.empty()) {
    std::string pattern = "%";
    for (const char c : filter.search) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    stmt.bind(5, pattern + "%");
  }
  return collect_page<Recipient>(stmt, page.limit, read_recipient<Statement>);
}

ResultCounts SqliteResults::result_counts(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT opened, clicked, submitted, reported, automated_events FROM campaigns WHERE id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step()) return {};
  return {stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3), stmt.int64(4)};
}

std::pair<std::int64_t, std::int64_t> SqliteResults::activity_span(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT MIN(sent_at) FILTER (WHERE sent_at > 0), "
      "MAX(MAX(sent_at, first_opened_at, first_clicked_at, first_submitted_at, reported_at)) "
      "FROM recipients WHERE campaign_id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step() || stmt.is_null(0)) return {0, 0};
  return {stmt.int64(0), stmt.int64(1)};
}

std::vector<TimelineBucket> SqliteResults::timeline(std::int64_t campaign_id,
                                                    std::int64_t bucket_seconds) {
  // One pass over the campaign's recipients (index campaign_id), bucketed here.
  auto stmt = db_.prepare(
      "SELECT sent_at, first_opened_at, first_clicked_at, first_submitted_at, reported_at "
      "FROM recipients WHERE campaign_id = ? AND sent_at > 0");
  stmt.bind(1, campaign_id);
  const std::int64_t b = std::max<std::int64_t>(1, bucket_seconds);
  std::map<std::int64_t, TimelineBucket> buckets;
  const auto count = [&](std::int64_t at, std::int64_t TimelineBucket::*stage) {
    if (at <= 0) return;
    auto& bucket = buckets[at / b * b];
    bucket.start = at / b * b;
    ++(bucket.*stage);
  };
  while (stmt.step()) {
    count(stmt.int64(0), &TimelineBucket::sent);
    count(stmt.int64(1), &TimelineBucket::opened);
    count(stmt.int64(2), &TimelineBucket::clicked);
    count(stmt.int64(3), &TimelineBucket::submitted);
    count(stmt.int64(4), &TimelineBucket::reported);
  }
  std::vector<TimelineBucket> out;
  out.reserve(buckets.size());
  for (auto& [start, bucket] : buckets) out.push_back(bucket);
  return out;
}

std::optional<RecipientFunnel> SqliteResults::recipient_funnel(std::int64_t recipient_id) {
  auto& read = db_.cached(
      "SELECT campaign_id, status_rank, first_opened_at, first_clicked_at, first_submitted_at, "
      "reported_at FROM recipients WHERE id = ?");
  read.bind(1, recipient_id);
  if (!read.step()) {
    read.reset();
    return std::nullopt;
  }
  const RecipientFunnel found{read.int64(0), Funnel{static_cast<int>(read.int64(1)), read.int64(2),
                                                    read.int64(3), read.int64(4), read.int64(5)}};
  read.reset();
  return found;
}

void SqliteResults::set_recipient_funnel(std::int64_t recipient_id, const Funnel& f) {
  db_.cached(
         "UPDATE recipients SET status_rank = ?, first_opened_at = ?, first_clicked_at = ?, "
         "first_submitted_at = ?, reported_at = ? WHERE id = ?")
      .bind(1, f.rank)
      .bind(2, f.first_opened_at)
      .bind(3, f.first_clicked_at)
      .bind(4, f.first_submitted_at)
      .bind(5, f.reported_at)
      .bind(6, recipient_id)
      .run();
}

// One prepared statement per recipient: in-process, a statement costs no
// round trip.
std::unordered_map<std::int64_t, RecipientFunnel> SqliteResults::recipient_funnels(
    std::span<const std::int64_t> recipient_ids) {
  std::unordered_map<std::int64_t, RecipientFunnel> found;
  for (const auto id : recipient_ids) {
    if (auto funnel = recipient_funnel(id)) found.emplace(id, *funnel);
  }
  return found;
}

void SqliteResults::set_recipient_funnels(std::span<const FunnelUpdate> updates) {
  for (const auto& update : updates) set_recipient_funnel(update.recipient_id, update.funnel);
}

void SqliteResults::add_to_counters(std::int64_t campaign_id, const CounterDelta& d) {
  if (d.empty()) return;
  db_.cached(
         "UPDATE campaigns SET opened = opened + ?, clicked = clicked + ?, "
         "submitted = submitted + ?, reported = reported + ?, "
         "automated_events = automated_events + ? WHERE id = ?")
      .bind(1, d.opened)
      .bind(2, d.clicked)
      .bind(3, d.submitted)
      .bind(4, d.reported)
      .bind(5, d.automated_events)
      .bind(6, campaign_id)
      .run();
}

}  // namespace phishdrill::sqlite
