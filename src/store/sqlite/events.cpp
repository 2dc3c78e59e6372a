#include "store/row_readers.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::int64_t SqliteEvents::append_event(const EventRecord& e) {
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
  const std::int64_t id = db_.last_insert_id();
  recent_ids_.appended(id, e.at);
  return id;
}

// One prepared insert per event: in-process, a statement costs no round trip.
void SqliteEvents::append_events(std::span<const EventRecord> events) {
  for (const auto& e : events) append_event(e);
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
  auto info = rows::read_rid_info(stmt);
  stmt.reset();
  return info;
}

bool SqliteEvents::campaign_active(std::int64_t campaign_id) {
  auto& active = db_.cached("SELECT status = 'active' FROM campaigns WHERE id = ?");
  active.bind(1, campaign_id);
  const bool is_active = active.step() && active.int64(0) != 0;
  active.reset();
  return is_active;
}

Funnel SqliteEvents::funnel_from_events(std::int64_t recipient_id) {
  // Cached: decoy hits and scanner mark-backs run this often.
  auto& agg = db_.cached(
      "SELECT COALESCE(MAX(CASE kind WHEN 'opened' THEN 1 WHEN 'clicked' THEN 2 "
      "WHEN 'viewed' THEN 2 WHEN 'submitted' THEN 3 ELSE 0 END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('opened','clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'submitted' THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'reported' THEN at END), 0) "
      "FROM events WHERE recipient_id = ? AND automated = 0");
  agg.bind(1, recipient_id);
  agg.step();
  const Funnel funnel{static_cast<int>(agg.int64(0)), agg.int64(1), agg.int64(2), agg.int64(3),
                      agg.int64(4)};
  agg.reset();
  return funnel;
}

std::vector<ChangedEvent> SqliteEvents::mark_automated_between(std::int64_t recipient_id,
                                                               std::int64_t from, std::int64_t to,
                                                               const std::string& ip,
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
  std::vector<ChangedEvent> changed;
  while (stmt.step()) changed.push_back({stmt.int64(0), stmt.int64(1), false});
  stmt.reset();
  return changed;
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

std::optional<ChangedEvent> SqliteEvents::set_classification(std::int64_t campaign_id,
                                                             std::int64_t event_id, bool automated,
                                                             const std::string& reason) {
  auto read =
      db_.prepare("SELECT recipient_id, automated FROM events WHERE id = ? AND campaign_id = ?");
  read.bind(1, event_id).bind(2, campaign_id);
  if (!read.step()) return std::nullopt;
  const ChangedEvent changed{campaign_id, read.int64(0), read.int64(1) != 0};
  db_.prepare("UPDATE events SET automated = ?, reason = ? WHERE id = ?")
      .bind(1, automated ? 1 : 0)
      .bind(2, reason)
      .bind(3, event_id)
      .run();
  return changed;
}

}  // namespace phishdrill::sqlite
