#include <algorithm>
#include <map>
#include <set>

#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kCampaignColumns =
    "id, name, status, page_id, profile_id, base_url, launch_at, send_by, jitter_seconds, "
    "window_days, window_start_minute, window_end_minute, window_utc_offset_minutes, seed, "
    "created_at, updated_at, launched_at, completed_at";

int days_mask(const SendWindow& w) {
  int mask = 0;
  for (std::size_t i = 0; i < w.days.size(); ++i) mask |= w.days[i] ? (1 << i) : 0;
  return mask;
}

Campaign read_campaign(const Statement& s) {
  Campaign c;
  c.id = s.int64(0);
  c.name = s.text(1);
  c.status = parse_campaign_status(s.text(2)).value_or(CampaignStatus::kDraft);
  c.page_id = s.int64(3);
  c.profile_id = s.int64(4);
  c.base_url = s.text(5);
  c.launch_at = s.int64(6);
  c.send_by = s.int64(7);
  c.jitter_seconds = static_cast<int>(s.int64(8));
  const auto mask = s.int64(9);
  for (std::size_t i = 0; i < c.window.days.size(); ++i) c.window.days[i] = (mask >> i) & 1;
  c.window.start_minute = static_cast<int>(s.int64(10));
  c.window.end_minute = static_cast<int>(s.int64(11));
  c.window.utc_offset_minutes = static_cast<int>(s.int64(12));
  c.seed = static_cast<std::uint64_t>(s.int64(13));
  c.created_at = s.int64(14);
  c.updated_at = s.int64(15);
  c.launched_at = s.int64(16);
  c.completed_at = s.int64(17);
  return c;
}

constexpr const char* kRecipientColumns =
    "id, campaign_id, target_id, rid, email, first_name, last_name, position, department, "
    "manager_email, locale, variant_id, send_at, state, attempts, message_id, sent_at, "
    "last_error, smtp_code, status_rank, first_opened_at, first_clicked_at, first_submitted_at, "
    "reported_at";

Recipient read_recipient(const Statement& s) {
  Recipient r;
  r.id = s.int64(0);
  r.campaign_id = s.int64(1);
  r.target_id = s.int64(2);
  r.rid = s.text(3);
  r.fields =
      TargetFields{s.text(4), s.text(5), s.text(6), s.text(7), s.text(8), s.text(9), s.text(10)};
  r.variant_id = s.int64(11);
  r.send_at = s.int64(12);
  r.state = parse_send_state(s.text(13)).value_or(SendState::kQueued);
  r.attempts = static_cast<int>(s.int64(14));
  r.message_id = s.text(15);
  r.sent_at = s.int64(16);
  r.last_error = s.text(17);
  r.smtp_code = static_cast<int>(s.int64(18));
  r.status_rank = static_cast<int>(s.int64(19));
  r.first_opened_at = s.int64(20);
  r.first_clicked_at = s.int64(21);
  r.first_submitted_at = s.int64(22);
  r.reported_at = s.int64(23);
  return r;
}

CampaignVariant read_variant(const Statement& s) {
  CampaignVariant v;
  v.id = s.int64(0);
  v.template_id = s.int64(1);
  v.weight = static_cast<int>(s.int64(2));
  v.content.id = v.template_id;
  v.content.name = s.text(3);
  v.content.subject = s.text(4);
  v.content.html = s.text(5);
  v.content.text = s.text(6);
  v.content.from = s.text(7);
  v.content.headers = headers_from_json(s.text(8));
  v.content.attachments = attachments_from_json(s.text(9));
  v.content.red_flags = red_flags_from_json(s.text(10));
  return v;
}

constexpr const char* kVariantColumns =
    "id, template_id, weight, name, subject, html, text, from_address, headers, attachments, "
    "red_flags";

void bind_campaign(Statement& stmt, const Campaign& c) {
  stmt.bind(1, c.name)
      .bind(2, campaign_status_name(c.status))
      .bind(3, c.page_id)
      .bind(4, c.profile_id)
      .bind(5, c.base_url)
      .bind(6, c.launch_at)
      .bind(7, c.send_by)
      .bind(8, c.jitter_seconds)
      .bind(9, days_mask(c.window))
      .bind(10, c.window.start_minute)
      .bind(11, c.window.end_minute)
      .bind(12, c.window.utc_offset_minutes)
      .bind(13, static_cast<std::int64_t>(c.seed))
      .bind(14, c.updated_at);
}

}  // namespace

void SqliteCampaigns::load_parts(Campaign& c) {
  auto follow = db_.prepare(
      "SELECT follow_up_module, follow_up_trigger, follow_up_due_days FROM campaigns WHERE id = ?");
  follow.bind(1, c.id);
  if (follow.step() && !follow.text(0).empty()) {
    c.follow_up = FollowUp{follow.text(0), follow.text(1), static_cast<int>(follow.int64(2))};
  }
  auto templates = db_.prepare(
      "SELECT template_id, weight FROM campaign_templates WHERE campaign_id = ? ORDER BY position");
  templates.bind(1, c.id);
  while (templates.step()) {
    c.templates.push_back({templates.int64(0), static_cast<int>(templates.int64(1))});
  }
  auto groups =
      db_.prepare("SELECT group_id FROM campaign_groups WHERE campaign_id = ? ORDER BY group_id");
  groups.bind(1, c.id);
  while (groups.step()) c.group_ids.push_back(groups.int64(0));
}

void SqliteCampaigns::save_parts(const Campaign& c) {
  db_.prepare(
         "UPDATE campaigns SET follow_up_module = ?, follow_up_trigger = ?, "
         "follow_up_due_days = ? WHERE id = ?")
      .bind(1, c.follow_up ? c.follow_up->module_slug : std::string())
      .bind(2, c.follow_up ? c.follow_up->trigger : std::string())
      .bind(3, c.follow_up ? c.follow_up->due_days : 0)
      .bind(4, c.id)
      .run();
  db_.prepare("DELETE FROM campaign_templates WHERE campaign_id = ?").bind(1, c.id).run();
  db_.prepare("DELETE FROM campaign_groups WHERE campaign_id = ?").bind(1, c.id).run();
  auto templates = db_.prepare(
      "INSERT INTO campaign_templates (campaign_id, position, template_id, weight) "
      "VALUES (?, ?, ?, ?)");
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    templates.reset();
    templates.bind(1, c.id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, c.templates[i].template_id)
        .bind(4, c.templates[i].weight)
        .run();
  }
  auto groups = db_.prepare("INSERT INTO campaign_groups (campaign_id, group_id) VALUES (?, ?)");
  for (const auto id : c.group_ids) {
    groups.reset();
    groups.bind(1, c.id).bind(2, id).run();
  }
}

Result<Campaign> SqliteCampaigns::create_campaign(std::int64_t workspace_id, const Campaign& c) {
  return unique_or_conflict(
      [&] {
        auto stmt = db_.prepare(
            "INSERT INTO campaigns (name, status, page_id, profile_id, base_url, launch_at, "
            "send_by, jitter_seconds, window_days, window_start_minute, window_end_minute, "
            "window_utc_offset_minutes, seed, updated_at, created_at, workspace_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        bind_campaign(stmt, c);
        stmt.bind(15, c.created_at).bind(16, workspace_id).run();
        Campaign created = c;
        created.id = db_.last_insert_id();
        save_parts(created);
        return created;
      },
      "name", "a campaign with this name already exists");
}

std::optional<Campaign> SqliteCampaigns::find_campaign(std::int64_t workspace_id, std::int64_t id) {
  auto c =
      find_owned<Campaign>(db_, kCampaignColumns, "campaigns", workspace_id, id, read_campaign);
  if (c) load_parts(*c);
  return c;
}

Page<Campaign> SqliteCampaigns::list_campaigns(std::int64_t workspace_id, PageRequest page) {
  auto result =
      list_owned<Campaign>(db_, kCampaignColumns, "campaigns", workspace_id, page, read_campaign);
  for (auto& c : result.items) load_parts(c);
  return result;
}

Result<void> SqliteCampaigns::update_campaign(std::int64_t workspace_id, const Campaign& c) {
  return unique_or_conflict(
      [&] {
        auto stmt = db_.prepare(
            "UPDATE campaigns SET name = ?, status = ?, page_id = ?, profile_id = ?, "
            "base_url = ?, launch_at = ?, send_by = ?, jitter_seconds = ?, window_days = ?, "
            "window_start_minute = ?, window_end_minute = ?, window_utc_offset_minutes = ?, "
            "seed = ?, updated_at = ? WHERE id = ? AND workspace_id = ?");
        bind_campaign(stmt, c);
        stmt.bind(15, c.id).bind(16, workspace_id).run();
        save_parts(c);
      },
      "name", "a campaign with this name already exists");
}

bool SqliteCampaigns::delete_campaign(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "campaigns", workspace_id, id);
}

std::vector<Target> SqliteCampaigns::targets_of_groups(std::int64_t workspace_id,
                                                       const std::vector<std::int64_t>& group_ids) {
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS chosen_groups (id INTEGER PRIMARY KEY)");
  db_.exec("DELETE FROM chosen_groups");
  auto insert = db_.prepare("INSERT OR IGNORE INTO chosen_groups (id) VALUES (?)");
  for (const auto id : group_ids) {
    insert.reset();
    insert.bind(1, id).run();
  }
  auto stmt = db_.prepare(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.position, t.department, "
      "t.manager_email, t.locale FROM targets t WHERE t.workspace_id = ? AND t.id IN "
      "(SELECT m.target_id FROM group_members m JOIN groups g ON g.id = m.group_id "
      "WHERE g.workspace_id = ? AND m.group_id IN (SELECT id FROM chosen_groups)) ORDER BY t.id");
  stmt.bind(1, workspace_id).bind(2, workspace_id);
  std::vector<Target> targets;
  while (stmt.step()) {
    targets.push_back(
        Target{stmt.int64(0), TargetFields{stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4),
                                           stmt.text(5), stmt.text(6), stmt.text(7)}});
  }
  db_.exec("DELETE FROM chosen_groups");
  return targets;
}

std::int64_t SqliteCampaigns::insert_variant(std::int64_t campaign_id, const CampaignVariant& v) {
  db_.prepare(
         "INSERT INTO campaign_variants (campaign_id, template_id, weight, name, subject, html, "
         "text, from_address, headers, attachments, red_flags) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, campaign_id)
      .bind(2, v.template_id)
      .bind(3, v.weight)
      .bind(4, v.content.name)
      .bind(5, v.content.subject)
      .bind(6, v.content.html)
      .bind(7, v.content.text)
      .bind(8, v.content.from)
      .bind(9, headers_to_json(v.content.headers))
      .bind(10, attachments_to_json(v.content.attachments))
      .bind(11, red_flags_to_json(v.content.red_flags))
      .run();
  return db_.last_insert_id();
}

std::optional<CampaignVariant> SqliteCampaigns::find_variant(std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kVariantColumns +
                          " FROM campaign_variants WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return read_variant(stmt);
}

void SqliteCampaigns::insert_recipients(std::int64_t workspace_id, std::int64_t campaign_id,
                                        const std::vector<Recipient>& recipients) {
  auto stmt = db_.prepare(
      "INSERT INTO recipients (workspace_id, campaign_id, target_id, rid, email, first_name, "
      "last_name, position, department, manager_email, locale, variant_id, send_at, state, "
      "message_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'queued',?)");
  for (const auto& r : recipients) {
    stmt.reset();
    stmt.bind(1, workspace_id)
        .bind(2, campaign_id)
        .bind(3, r.target_id)
        .bind(4, r.rid)
        .bind(5, r.fields.email)
        .bind(6, r.fields.first_name)
        .bind(7, r.fields.last_name)
        .bind(8, r.fields.position)
        .bind(9, r.fields.department)
        .bind(10, r.fields.manager_email)
        .bind(11, r.fields.locale)
        .bind(12, r.variant_id)
        .bind(13, r.send_at)
        .bind(14, r.message_id)
        .run();
  }
}

void SqliteCampaigns::set_campaign_state(const Campaign& c) {
  db_.prepare(
         "UPDATE campaigns SET status = ?, launch_at = ?, launched_at = ?, completed_at = ?, "
         "updated_at = ? WHERE id = ?")
      .bind(1, campaign_status_name(c.status))
      .bind(2, c.launch_at)
      .bind(3, c.launched_at)
      .bind(4, c.completed_at)
      .bind(5, c.updated_at)
      .bind(6, c.id)
      .run();
}

std::int64_t SqliteCampaigns::cancel_unsent(std::int64_t campaign_id) {
  db_.prepare(
         "UPDATE recipients SET state = 'cancelled' WHERE campaign_id = ? AND state = 'queued'")
      .bind(1, campaign_id)
      .run();
  return db_.changes();
}

RecipientCounts SqliteCampaigns::count_recipients(std::int64_t campaign_id) {
  auto stmt =
      db_.prepare("SELECT state, COUNT(*) FROM recipients WHERE campaign_id = ? GROUP BY state");
  stmt.bind(1, campaign_id);
  RecipientCounts counts;
  while (stmt.step()) {
    const auto n = stmt.int64(1);
    counts.total += n;
    switch (parse_send_state(stmt.text(0)).value_or(SendState::kQueued)) {
      case SendState::kQueued:
        counts.queued += n;
        break;
      case SendState::kSending:
        counts.sending += n;
        break;
      case SendState::kSent:
        counts.sent += n;
        break;
      case SendState::kFailed:
        counts.failed += n;
        break;
      case SendState::kCancelled:
        counts.cancelled += n;
        break;
    }
  }
  return counts;
}

Page<Recipient> SqliteCampaigns::list_recipients(std::int64_t campaign_id,
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
  return collect_page<Recipient>(stmt, page.limit, read_recipient);
}

std::vector<Recipient> SqliteCampaigns::claim_due(std::int64_t now, std::int64_t lease_until,
                                                  int limit) {
  std::vector<Recipient> claimed;
  // Expired leases first (messages in doubt after a crash), then due messages.
  for (const char* condition :
       {"r.state = 'sending' AND r.lease_until < ?2", "r.state = 'queued' AND r.send_at <= ?2"}) {
    if (static_cast<int>(claimed.size()) >= limit) break;
    auto stmt = db_.prepare(
        std::string("UPDATE recipients SET state = 'sending', lease_until = ?1, "
                    "attempts = attempts + 1 WHERE id IN (SELECT r.id FROM recipients r "
                    "JOIN campaigns c ON c.id = r.campaign_id WHERE c.status = 'active' AND ") +
        condition + " ORDER BY r.send_at, r.id LIMIT ?3) RETURNING " + kRecipientColumns);
    stmt.bind(1, lease_until).bind(2, now).bind(3, limit - static_cast<int>(claimed.size()));
    while (stmt.step()) claimed.push_back(read_recipient(stmt));
  }
  return claimed;
}

std::optional<DispatchInfo> SqliteCampaigns::dispatch_info(std::int64_t campaign_id) {
  auto stmt =
      db_.prepare("SELECT workspace_id, status, profile_id, base_url FROM campaigns WHERE id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step()) return std::nullopt;
  return DispatchInfo{stmt.int64(0),
                      parse_campaign_status(stmt.text(1)).value_or(CampaignStatus::kDraft),
                      stmt.int64(2), stmt.text(3)};
}

void SqliteCampaigns::mark_sent(std::int64_t recipient_id, std::int64_t at) {
  db_.prepare(
         "UPDATE recipients SET state = 'sent', sent_at = ?, lease_until = 0, last_error = '', "
         "smtp_code = 0 WHERE id = ?")
      .bind(1, at)
      .bind(2, recipient_id)
      .run();
}

void SqliteCampaigns::mark_retry(std::int64_t recipient_id, std::int64_t next_at,
                                 const std::string& error, int smtp_code) {
  db_.prepare(
         "UPDATE recipients SET state = CASE WHEN (SELECT status FROM campaigns c "
         "WHERE c.id = recipients.campaign_id) = 'active' THEN 'queued' ELSE 'cancelled' END, "
         "send_at = ?, lease_until = 0, last_error = ?, smtp_code = ? WHERE id = ?")
      .bind(1, next_at)
      .bind(2, error)
      .bind(3, smtp_code)
      .bind(4, recipient_id)
      .run();
}

void SqliteCampaigns::mark_failed(std::int64_t recipient_id, const std::string& error,
                                  int smtp_code) {
  db_.prepare(
         "UPDATE recipients SET state = 'failed', lease_until = 0, last_error = ?, smtp_code = ? "
         "WHERE id = ?")
      .bind(1, error)
      .bind(2, smtp_code)
      .bind(3, recipient_id)
      .run();
}

void SqliteCampaigns::mark_cancelled(std::int64_t recipient_id) {
  db_.prepare("UPDATE recipients SET state = 'cancelled', lease_until = 0 WHERE id = ?")
      .bind(1, recipient_id)
      .run();
}

void SqliteCampaigns::release_claim(std::int64_t recipient_id) {
  db_.prepare(
         "UPDATE recipients SET state = 'queued', lease_until = 0, "
         "attempts = MAX(attempts - 1, 0) WHERE id = ? AND state = 'sending'")
      .bind(1, recipient_id)
      .run();
}

void SqliteCampaigns::renew_lease(std::int64_t recipient_id, std::int64_t lease_until) {
  db_.prepare("UPDATE recipients SET lease_until = ? WHERE id = ? AND state = 'sending'")
      .bind(1, lease_until)
      .bind(2, recipient_id)
      .run();
}

std::int64_t SqliteCampaigns::next_event_id() {
  auto& stmt = db_.cached("SELECT COALESCE(MAX(id), 0) + 1 FROM events");
  stmt.step();
  const auto id = stmt.int64(0);
  stmt.reset();
  return id;
}

void SqliteCampaigns::append_event(const EventRecord& e) {
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
}

Page<EventRecord> SqliteCampaigns::list_events(std::int64_t campaign_id, std::int64_t recipient_id,
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

std::optional<RidInfo> SqliteCampaigns::find_rid(std::string_view rid) {
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

bool SqliteCampaigns::campaign_active(std::int64_t campaign_id) {
  auto& active = db_.cached("SELECT status = 'active' FROM campaigns WHERE id = ?");
  active.bind(1, campaign_id);
  const bool is_active = active.step() && active.int64(0) != 0;
  active.reset();
  return is_active;
}

void SqliteCampaigns::add_automated_events(std::int64_t campaign_id, std::int64_t count) {
  if (count != 0) move_counters(db_, campaign_id, {}, {}, count);
}

void SqliteCampaigns::record_hit(const EventRecord& e, int rank, bool report) {
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

void SqliteCampaigns::recompute_recipient(std::int64_t recipient_id, std::int64_t now) {
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

std::int64_t SqliteCampaigns::follow_marked_events(Statement& marked, std::int64_t now) {
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

std::int64_t SqliteCampaigns::mark_automated_between(std::int64_t recipient_id, std::int64_t from,
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

std::int64_t SqliteCampaigns::flag_address_suspect_between(const std::string& ip,
                                                           std::int64_t min_event_id,
                                                           std::int64_t from, std::int64_t to,
                                                           const std::string& reason) {
  auto& stmt = db_.cached(
      "UPDATE events SET suspect = ?1 WHERE id >= ?5 AND ip = ?2 AND at BETWEEN ?3 AND ?4 "
      "AND automated = 0 AND suspect = '' AND kind = 'clicked'");
  stmt.bind(1, reason).bind(2, ip).bind(3, from).bind(4, to).bind(5, min_event_id);
  stmt.run();
  return db_.changes();
}

bool SqliteCampaigns::reclassify_event(std::int64_t campaign_id, std::int64_t event_id,
                                       bool automated, const std::string& reason,
                                       std::int64_t now) {
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

ResultCounts SqliteCampaigns::result_counts(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT opened, clicked, submitted, reported, automated_events FROM campaigns WHERE id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step()) return {};
  return {stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.int64(3), stmt.int64(4)};
}

std::pair<std::int64_t, std::int64_t> SqliteCampaigns::activity_span(std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT MIN(sent_at) FILTER (WHERE sent_at > 0), "
      "MAX(MAX(sent_at, first_opened_at, first_clicked_at, first_submitted_at, reported_at)) "
      "FROM recipients WHERE campaign_id = ?");
  stmt.bind(1, campaign_id);
  if (!stmt.step() || stmt.is_null(0)) return {0, 0};
  return {stmt.int64(0), stmt.int64(1)};
}

std::vector<TimelineBucket> SqliteCampaigns::timeline(std::int64_t campaign_id,
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

std::int64_t SqliteCampaigns::count_targets_of_groups(std::int64_t workspace_id,
                                                      const std::vector<std::int64_t>& group_ids) {
  if (group_ids.empty()) return 0;
  std::string in = "?";
  for (std::size_t i = 1; i < group_ids.size(); ++i) in += ",?";
  auto stmt = db_.prepare(
      "SELECT COUNT(DISTINCT m.target_id) FROM group_members m JOIN groups g ON g.id = "
      "m.group_id WHERE g.workspace_id = ? AND m.group_id IN (" +
      in + ")");
  stmt.bind(1, workspace_id);
  for (std::size_t i = 0; i < group_ids.size(); ++i) {
    stmt.bind(static_cast<int>(i) + 2, group_ids[i]);
  }
  stmt.step();
  return stmt.int64(0);
}

}  // namespace phishdrill::sqlite
