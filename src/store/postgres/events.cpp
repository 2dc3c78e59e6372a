#include "store/postgres/id_array.h"
#include "store/postgres/repositories.h"
#include "store/row_readers.h"

namespace phishdrill::pg {
namespace {

EventRecord read_event(const Row& s) {
  return EventRecord{s.int64(0), s.int64(1), s.int64(2),   s.int64(3), s.text(4),  s.int64(5),
                     s.text(6),  s.text(7),  s.boolean(8), s.text(9),  s.text(11), s.text(10)};
}

}  // namespace

std::int64_t PgEvents::append_event(const EventRecord& e) {
  return db_
      .run(
          "INSERT INTO events (workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, "
          "automated, reason, details, suspect) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "$11) RETURNING id",
          e.workspace_id, e.campaign_id, e.recipient_id, e.kind, e.at, e.ip, e.user_agent,
          e.automated, e.reason, e.details_json, e.suspect)
      .int64(0, 0);
}

Page<EventRecord> PgEvents::list_events(std::int64_t campaign_id, std::int64_t recipient_id,
                                        PageRequest page) {
  const auto rows = db_.run(
      "SELECT id, workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, automated, "
      "reason, details, suspect FROM events WHERE campaign_id = $1 AND id > $2 "
      "AND ($4 = 0 OR recipient_id = $4) ORDER BY id LIMIT $3",
      campaign_id, page.after_id, page.limit + 1, recipient_id);
  return collect_page<EventRecord>(rows, page.limit, read_event);
}

// One statement for the lot: the rows come out of unnest in order, so their
// ids rise in that order.
void PgEvents::append_events(std::span<const EventRecord> events) {
  if (events.empty()) return;
  auto texts = [&](auto field) {
    return text_array(events, [&](const EventRecord& e) -> const std::string& { return e.*field; });
  };
  auto numbers = [&](auto project) { return number_array(events, project); };
  db_.run(
      "INSERT INTO events (workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, "
      "automated, reason, details, suspect) "
      "SELECT u.workspace_id, u.campaign_id, u.recipient_id, u.kind, u.at, u.ip, u.user_agent, "
      "u.automated, u.reason, u.details, u.suspect FROM unnest($1::bigint[], $2::bigint[], "
      "$3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::boolean[], $9::text[], "
      "$10::text[], $11::text[]) WITH ORDINALITY AS u(workspace_id, campaign_id, recipient_id, "
      "kind, at, ip, user_agent, automated, reason, details, suspect, n) ORDER BY u.n",
      numbers([](const EventRecord& e) { return e.workspace_id; }),
      numbers([](const EventRecord& e) { return e.campaign_id; }),
      numbers([](const EventRecord& e) { return e.recipient_id; }), texts(&EventRecord::kind),
      numbers([](const EventRecord& e) { return e.at; }), texts(&EventRecord::ip),
      texts(&EventRecord::user_agent),
      numbers([](const EventRecord& e) { return e.automated ? 1 : 0; }),
      texts(&EventRecord::reason), texts(&EventRecord::details_json), texts(&EventRecord::suspect));
}

std::optional<RidInfo> PgEvents::find_rid(std::string_view rid) {
  const auto rows = db_.run(
      "SELECT r.id, r.campaign_id, r.workspace_id, r.variant_id, c.page_id, r.sent_at, c.status, "
      "c.base_url, r.email, r.first_name, r.last_name, r.position, r.department, r.target_id, "
      "c.follow_up_module <> '' "
      "FROM recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.rid = $1",
      rid);
  if (rows.empty()) return std::nullopt;
  return rows::read_rid_info(Row(rows, 0));
}

bool PgEvents::campaign_active(std::int64_t campaign_id) {
  const auto rows = db_.run("SELECT status = 'active' FROM campaigns WHERE id = $1", campaign_id);
  return !rows.empty() && rows.boolean(0, 0);
}

Funnel PgEvents::funnel_from_events(std::int64_t recipient_id) {
  const auto rows = db_.run(
      "SELECT COALESCE(MAX(CASE kind WHEN 'opened' THEN 1 WHEN 'clicked' THEN 2 "
      "WHEN 'viewed' THEN 2 WHEN 'submitted' THEN 3 ELSE 0 END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('opened','clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind IN ('clicked','viewed','submitted') THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'submitted' THEN at END), 0), "
      "COALESCE(MIN(CASE WHEN kind = 'reported' THEN at END), 0) "
      "FROM events WHERE recipient_id = $1 AND NOT automated",
      recipient_id);
  return Funnel{static_cast<int>(rows.int64(0, 0)), rows.int64(0, 1), rows.int64(0, 2),
                rows.int64(0, 3), rows.int64(0, 4)};
}

std::vector<ChangedEvent> PgEvents::mark_automated_between(std::int64_t recipient_id,
                                                           std::int64_t from, std::int64_t to,
                                                           const std::string& ip,
                                                           const std::string& user_agent,
                                                           const std::string& reason) {
  const auto rows = db_.run(
      "UPDATE events SET automated = TRUE, reason = $1 WHERE recipient_id = $2 AND NOT automated "
      "AND at BETWEEN $3 AND $4 AND kind IN ('opened', 'clicked', 'submitted') "
      "AND ip = $5 AND user_agent = $6 RETURNING campaign_id, recipient_id",
      reason, recipient_id, from, to, ip, user_agent);
  std::vector<ChangedEvent> changed;
  for (int i = 0; i < rows.size(); ++i)
    changed.push_back({rows.int64(i, 0), rows.int64(i, 1), false});
  return changed;
}

std::int64_t PgEvents::flag_address_suspect_between(const std::string& ip, std::int64_t from,
                                                    std::int64_t to, const std::string& reason) {
  // No index on the address (it would cost every hit): the BRIN index on
  // the event time narrows the scan to the pages of [from, to], on every
  // node alike (SQLite's in-process bound on ids cannot see other nodes').
  return db_
      .run(
          "UPDATE events SET suspect = $1 WHERE at BETWEEN $3 AND $4 AND ip = $2 "
          "AND NOT automated AND suspect = '' AND kind = 'clicked'",
          reason, ip, from, to)
      .affected();
}

std::optional<ChangedEvent> PgEvents::set_classification(std::int64_t campaign_id,
                                                         std::int64_t event_id, bool automated,
                                                         const std::string& reason) {
  // The old value comes from the row the update locked, so two operators
  // re-classifying at once each see what the other left.
  const auto rows = db_.run(
      "UPDATE events e SET automated = $3, reason = $4 FROM (SELECT id, automated FROM events "
      "WHERE id = $1 AND campaign_id = $2 FOR UPDATE) old WHERE e.id = old.id "
      "RETURNING e.recipient_id, old.automated",
      event_id, campaign_id, automated, reason);
  if (rows.empty()) return std::nullopt;
  return ChangedEvent{campaign_id, rows.int64(0, 0), rows.boolean(0, 1)};
}

}  // namespace phishdrill::pg
