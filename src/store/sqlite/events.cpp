#include <algorithm>
#include <map>
#include <set>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

void SqliteEvents::append_event(const EventRecord& e) {
  db_.cached(
         "INSERT INTO events (workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, "
         "automated, reason, details, suspect) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, e.workspace_id)
      .bind(2, e.campaign_id)
      .bind(3, e.recipient_id)
      .bind(4, e.kind)
      .bind(5, e.at)
      .bind(6, e.ip)
      .bind(7, e.user_agent)
      .bind(8, e.automated ? 1 : 0)
      .bind(9, e.reason)
      .bind(10, e.details_json)
      .bind(11, e.suspect)
      .run();
  recent_ids_.appended(db_.last_insert_id(), e.at);
}

Page<EventRecord> SqliteEvents::list_events(std::int64_t campaign_id, std::int64_t recipient_id,
                                            PageRequest page) {
  auto stmt = db_.prepare(
      "SELECT id, workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, automated, "
      "reason, details, suspect FROM events WHERE campaign_id = ?1 AND id > ?2 "
      "AND (?4 = 0 OR recipient_id = ?4) ORDER BY id LIMIT ?3");
  stmt.bind(1, campaign_id).bind(2, page.after_id).bind(3, page.limit + 1).bind(4, recipient_id);
  return collect_page<EventRecord>(stmt, page.limit, [](const Statement& s) {
    return EventRecord{s.int64(0), s.int64(1), s.int64(2),      s.int64(3), s.text(4),  s.int64(5),
                       s.text(6),  s.text(7),  s.int64(8) != 0, s.text(9),  s.text(11), s.text(10)};
  });
}

std::optional<RidInfo> SqliteEvents::find_rid(std::string_view rid) {
  auto& stmt = db_.cached(
      "SELECT r.id, r.campaign_id, r.workspace_id, r.variant_id, c.page_id, r.sent_at, c.status, "
      "c.base_url, r.email, r.first_name, r.last_name, r.position, r.department, r.target_id, "
      "c.follow_up_module <> '' "
      "FROM recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.rid = ?");
  stmt.bind(1, rid);
  if (!stmt.step()) return std::nullopt;
  RidInfo info;
  info.recipient_id = stmt.int64(0);
  info.campaign_id = stmt.int64(1);
  info.workspace_id = stmt.int64(2);
  info.variant_id = stmt.int64(3);
  info.page_id = stmt.int64(4);
  info.sent_at = stmt.int64(5);
  info.campaign_status = parse_campaign_status(stmt.text(6)).value_or(CampaignStatus::kDraft);
  info.base_url = stmt.text(7);
  info.fields.email = stmt.text(8);
  info.fields.first_name = stmt.text(9);
  info.fields.last_name = stmt.text(10);
  info.fields.position = stmt.text(11);
  info.fields.department = stmt.text(12);
  info.target_id = stmt.int64(13);
  info.has_follow_up = stmt.int64(14) != 0;
  stmt.reset();
  return info;
}

namespace {

struct Funnel {
  std::int64_t rank = 0;
  std::int64_t reported_at = 0;
};

// Counter deltas when a recipient moves from `before` to `after`.
void move_counters(Connection& db, std::int64_t campaign_id, const Funnel& before,
                   const Funnel& after, std::int64_t automated_delta) {
  auto crossed = [&](int step) -> std::int64_t {
    return (after.rank >= step ? 1 : 0) - (before.rank >= step ? 1 : 0);
  };
  const std::int64_t reported =
      (after.reported_at != 0 ? 1 : 0) - (before.reported_at != 0 ? 1 : 0);
  if (crossed(1) == 0 && crossed(2) == 0 && crossed(3) == 0 && reported == 0 &&
      automated_delta == 0) {
    return;
  }
  db.cached(
        "UPDATE campaigns SET opened = opened + ?, clicked = clicked + ?, "
        "submitted = submitted + ?, reported = reported + ?, "
        "automated_events = automated_events + ? WHERE id = ?")
      .bind(1, crossed(1))
      .bind(2, crossed(2))
      .bind(3, crossed(3))
      .bind(4, reported)
      .bind(5, automated_delta)
      .bind(6, campaign_id)
      .run();
}

}  // namespace

bool SqliteEvents::campaign_active(std::int64_t campaign_id) {
  auto& active = db_.cached("SELECT status = 'active' FROM campaigns WHERE id = ?");
  active.bind(1, campaign_id);
  const bool is_active = active.step() && active.int64(0) != 0;
  active.reset();
  return is_active;
}

void SqliteEvents::add_automated_events(std::int64_t campaign_id, std::int64_t count) {
  if (count != 0) move_counters(db_, campaign_id, {}, {}, count);
}

void SqliteEvents::record_hit(const EventRecord& e, int rank, bool report) {
  append_event(e);
  if (e.automated || (rank == 0 && !report)) return;
  auto& read = db_.cached("SELECT status_rank, reported_at FROM recipients WHERE id = ?");
  read.bind(1, e.recipient_id);
  if (!read.step()) return;
  const Funnel before{read.int64(0), read.int64(1)};
  read.reset();
  Funnel after = before;
  after.rank = std::max<std::int64_t>(before.rank, rank);
  if (report && after.reported_at == 0) after.reported_at = e.at;
  if (after.rank == before.rank && after.reported_at == before.reported_at) return;
  db_.cached(
         "UPDATE recipients SET status_rank = ?1, reported_at = ?2, "
         "first_opened_at = CASE WHEN first_opened_at = 0 AND ?1 >= 1 THEN ?3 "
         "ELSE first_opened_at END, "
         "first_clicked_at = CASE WHEN first_clicked_at = 0 AND ?1 >= 2 THEN ?3 "
         "ELSE first_clicked_at END, "
         "first_submitted_at = CASE WHEN first_submitted_at = 0 AND ?1 >= 3 THEN ?3 "
         "ELSE first_submitted_at END WHERE id = ?4")
      .bind(1, after.rank)
      .bind(2, after.reported_at)
      .bind(3, e.at)
      .bind(4, e.recipient_id)
      .run();
  move_counters(db_, e.campaign_id, before, after, 0);
  if (after.rank != before.rank) sync_follow_up(db_, e.recipient_id, e.at);
}

void SqliteEvents::recompute_recipient(std::int64_t recipient_id, std::int64_t now) {
  // Cached statements: decoy hits and scanner mark-backs run this often.
  auto& old =
      db_.cached("SELECT campaign_id, status_rank, reported_at FROM recipients WHERE id = ?");
  old.bind(1, recipient_id);
  if (!old.step()) return;
  const std::int64_t campaign_id = old.int64(0);
  const Funnel before{old.int64(1), old.int64(2)};
  old.reset();
  auto& agg = db_.cached(
      "SELECT COALESCE(MAX(CASE kind WHEN 'opened' THEN 1 WHEN 'clicked' THEN 2 WHEN 'viewed' THEN "
      "2 "
      "WHEN 'submitted' THEN 3 ELSE 0 END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('opened','clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'submitted' THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'reported' THEN at END), 0) "
      "FROM events WHERE recipient_id = ? AND automated = 0");
  agg.bind(1, recipient_id);
  agg.step();
  const Funnel after{agg.int64(0), agg.int64(4)};
  const std::int64_t opened_at = agg.int64(1), clicked_at = agg.int64(2),
                     submitted_at = agg.int64(3);
  agg.reset();
  db_.cached(
         "UPDATE recipients SET status_rank = ?, first_opened_at = ?, first_clicked_at = ?, "
         "first_submitted_at = ?, reported_at = ? WHERE id = ?")
      .bind(1, after.rank)
      .bind(2, opened_at)
      .bind(3, clicked_at)
      .bind(4, submitted_at)
      .bind(5, after.reported_at)
      .bind(6, recipient_id)
      .run();
  move_counters(db_, campaign_id, before, after, 0);
  if (after.rank != before.rank) sync_follow_up(db_, recipient_id, now);
}

std::int64_t SqliteEvents::follow_marked_events(Statement& marked, std::int64_t now) {
  std::map<std::int64_t, std::int64_t> per_campaign;
  std::set<std::int64_t> recipients;
  std::int64_t changed = 0;
  while (marked.step()) {
    ++per_campaign[marked.int64(0)];
    recipients.insert(marked.int64(1));
    ++changed;
  }
  for (const auto& [campaign_id, count] : per_campaign) {
    move_counters(db_, campaign_id, {}, {}, count);
  }
  for (const auto recipient_id : recipients) recompute_recipient(recipient_id, now);
  return changed;
}

std::int64_t SqliteEvents::mark_automated_between(std::int64_t recipient_id, std::int64_t from,
                                                  std::int64_t to, const std::string& ip,
                                                  const std::string& user_agent,
                                                  const std::string& reason) {
  auto& stmt = db_.cached(
      "UPDATE events SET automated = 1, reason = ?1 WHERE recipient_id = ?2 AND automated = 0 "
      "AND at BETWEEN ?3 AND ?4 AND kind IN ('opened', 'clicked', 'submitted') "
      "AND ip = ?5 AND user_agent = ?6 RETURNING campaign_id, recipient_id");
  stmt.bind(1, reason)
      .bind(2, recipient_id)
      .bind(3, from)
      .bind(4, to)
      .bind(5, ip)
      .bind(6, user_agent);
  return follow_marked_events(stmt, to);
}

std::int64_t SqliteEvents::flag_address_suspect_between(const std::string& ip, std::int64_t from,
                                                        std::int64_t to,
                                                        const std::string& reason) {
  // No index on the address (it would cost every hit): scan the tail of the
  // table by id, from the first event that can be at or after `from`.
  auto& stmt = db_.cached(
      "UPDATE events SET suspect = ?1 WHERE id >= ?5 AND ip = ?2 AND at BETWEEN ?3 AND ?4 "
      "AND automated = 0 AND suspect = '' AND kind = 'clicked'");
  stmt.bind(1, reason).bind(2, ip).bind(3, from).bind(4, to).bind(5, recent_ids_.lower_bound(from));
  stmt.run();
  return db_.changes();
}

bool SqliteEvents::reclassify_event(std::int64_t campaign_id, std::int64_t event_id, bool automated,
                                    const std::string& reason, std::int64_t now) {
  auto read =
      db_.prepare("SELECT recipient_id, automated FROM events WHERE id = ? AND campaign_id = ?");
  read.bind(1, event_id).bind(2, campaign_id);
  if (!read.step()) return false;
  const std::int64_t recipient_id = read.int64(0);
  const bool was = read.int64(1) != 0;
  db_.prepare("UPDATE events SET automated = ?, reason = ? WHERE id = ?")
      .bind(1, automated ? 1 : 0)
      .bind(2, reason)
      .bind(3, event_id)
      .run();
  if (was != automated) {
    move_counters(db_, campaign_id, {}, {}, automated ? 1 : -1);
    recompute_recipient(recipient_id, now);
  }
  return true;
}

}  // namespace phishdrill::sqlite
