#include <algorithm>
#include <map>
#include <set>

#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/recipient_rows.h"
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
        // Another workspace's id changes nothing, its parts included.
        if (db_.changes() > 0) save_parts(c);
      },
      "name", "a campaign with this name already exists");
}

bool SqliteCampaigns::delete_campaign(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "campaigns", workspace_id, id);
}

std::vector<Target> SqliteCampaigns::targets_of_groups(std::int64_t workspace_id,
                                                       const std::vector<std::int64_t>& group_ids) {
  std::vector<Target> all;
  (void)for_each_target_of_groups(workspace_id, group_ids, 4096,
                                  [&](const std::vector<Target>& batch) -> Result<void> {
                                    all.insert(all.end(), batch.begin(), batch.end());
                                    return {};
                                  });
  return all;
}

// One statement reads the targets while `each` writes other tables through
// the same connection (SQLite allows it). The group ids travel as one JSON
// array, so a read transaction can ask too.
Result<void> SqliteCampaigns::for_each_target_of_groups(std::int64_t workspace_id,
                                                        const std::vector<std::int64_t>& group_ids,
                                                        std::size_t batch,
                                                        const TargetBatch& each) {
  std::string ids = "[";
  for (std::size_t i = 0; i < group_ids.size(); ++i) {
    if (i > 0) ids += ',';
    ids += std::to_string(group_ids[i]);
  }
  ids += ']';
  auto stmt = db_.prepare(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.position, t.department, "
      "t.manager_email, t.locale FROM targets t WHERE t.workspace_id = ? AND t.id IN "
      "(SELECT m.target_id FROM group_members m JOIN groups g ON g.id = m.group_id "
      "WHERE g.workspace_id = ? AND m.group_id IN (SELECT value FROM json_each(?))) "
      "ORDER BY t.id");
  stmt.bind(1, workspace_id).bind(2, workspace_id).bind(3, ids);
  std::vector<Target> targets;
  Result<void> outcome;
  const auto hand_over = [&] {
    if (outcome && !targets.empty()) outcome = each(targets);
    targets.clear();
  };
  while (outcome && stmt.step()) {
    targets.push_back(
        Target{stmt.int64(0), TargetFields{stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4),
                                           stmt.text(5), stmt.text(6), stmt.text(7)}});
    if (targets.size() >= batch) hand_over();
  }
  hand_over();
  stmt.reset();
  return outcome;
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

bool SqliteCampaigns::set_campaign_state(const Campaign& c, CampaignStatus from) {
  db_.prepare(
         "UPDATE campaigns SET status = ?, launch_at = ?, launched_at = ?, completed_at = ?, "
         "updated_at = ? WHERE id = ? AND status = ?")
      .bind(1, campaign_status_name(c.status))
      .bind(2, c.launch_at)
      .bind(3, c.launched_at)
      .bind(4, c.completed_at)
      .bind(5, c.updated_at)
      .bind(6, c.id)
      .bind(7, campaign_status_name(from))
      .run();
  return db_.changes() == 1;
}

std::int64_t SqliteCampaigns::cancel_unsent(std::int64_t campaign_id) {
  db_.prepare(
         "UPDATE recipients SET state = 'cancelled' WHERE campaign_id = ? AND state = 'queued'")
      .bind(1, campaign_id)
      .run();
  return db_.changes();
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
