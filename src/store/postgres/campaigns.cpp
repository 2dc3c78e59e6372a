#include <algorithm>
#include <boost/json.hpp>

#include "store/json_columns.h"
#include "store/postgres/id_array.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace json = boost::json;
namespace {

const std::string kCampaignColumns =
    "id, name, status, page_id, profile_id, base_url, launch_at, send_by, jitter_seconds, "
    "window_days, window_start_minute, window_end_minute, window_utc_offset_minutes, seed, "
    "created_at, updated_at, launched_at, completed_at, follow_up_module, follow_up_trigger, "
    "follow_up_due_days";

const std::string kVariantColumns =
    "id, template_id, weight, name, subject, html, text, from_address, headers, attachments, "
    "red_flags";

// Recipients go in batches of this many rows per statement.
constexpr std::size_t kRecipientBatch = 1000;

std::int64_t days_mask(const SendWindow& w) {
  std::int64_t mask = 0;
  for (std::size_t i = 0; i < w.days.size(); ++i) mask |= w.days[i] ? (1 << i) : 0;
  return mask;
}

Campaign read_campaign(const Row& s) {
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
  if (!s.text(18).empty()) {
    c.follow_up = FollowUp{s.text(18), s.text(19), static_cast<int>(s.int64(20))};
  }
  return c;
}

CampaignVariant read_variant(const Row& s) {
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
  v.content.headers = json_columns::headers_from_json(s.text(8));
  v.content.attachments = json_columns::attachments_from_json(s.text(9));
  v.content.red_flags = json_columns::red_flags_from_json(s.text(10));
  return v;
}

// The campaign's columns as parameters $1..$17, in the order of kSetColumns.
std::vector<Param> campaign_params(const Campaign& c) {
  return {param(c.name),
          param(campaign_status_name(c.status)),
          param(c.page_id),
          param(c.profile_id),
          param(c.base_url),
          param(c.launch_at),
          param(c.send_by),
          param(c.jitter_seconds),
          param(days_mask(c.window)),
          param(c.window.start_minute),
          param(c.window.end_minute),
          param(c.window.utc_offset_minutes),
          param(static_cast<std::int64_t>(c.seed)),
          param(c.updated_at),
          param(c.follow_up ? c.follow_up->module_slug : std::string()),
          param(c.follow_up ? c.follow_up->trigger : std::string()),
          param(c.follow_up ? c.follow_up->due_days : 0)};
}

const std::string kSetColumns =
    "name, status, page_id, profile_id, base_url, launch_at, send_by, jitter_seconds, "
    "window_days, window_start_minute, window_end_minute, window_utc_offset_minutes, seed, "
    "updated_at, follow_up_module, follow_up_trigger, follow_up_due_days";

void load_parts(Connection& db, Campaign& c) {
  const auto templates = db.run(
      "SELECT template_id, weight FROM campaign_templates WHERE campaign_id = $1 "
      "ORDER BY position",
      c.id);
  for (int i = 0; i < templates.size(); ++i) {
    c.templates.push_back({templates.int64(i, 0), static_cast<int>(templates.int64(i, 1))});
  }
  const auto groups =
      db.run("SELECT group_id FROM campaign_groups WHERE campaign_id = $1 ORDER BY group_id", c.id);
  for (int i = 0; i < groups.size(); ++i) c.group_ids.push_back(groups.int64(i, 0));
}

void save_parts(Connection& db, const Campaign& c) {
  db.run("DELETE FROM campaign_templates WHERE campaign_id = $1", c.id);
  db.run("DELETE FROM campaign_groups WHERE campaign_id = $1", c.id);
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    db.run(
        "INSERT INTO campaign_templates (campaign_id, position, template_id, weight) "
        "VALUES ($1, $2, $3, $4)",
        c.id, static_cast<std::int64_t>(i), c.templates[i].template_id, c.templates[i].weight);
  }
  if (!c.group_ids.empty()) {
    db.run(
        "INSERT INTO campaign_groups (campaign_id, group_id) "
        "SELECT $1, g FROM unnest($2::bigint[]) AS g ON CONFLICT DO NOTHING",
        c.id, id_array(c.group_ids));
  }
}

json::object recipient_json(const Recipient& r) {
  return {{"target_id", r.target_id},
          {"rid", r.rid},
          {"email", r.fields.email},
          {"first_name", r.fields.first_name},
          {"last_name", r.fields.last_name},
          {"position", r.fields.position},
          {"department", r.fields.department},
          {"manager_email", r.fields.manager_email},
          {"locale", r.fields.locale},
          {"variant_id", r.variant_id},
          {"send_at", r.send_at},
          {"message_id", r.message_id}};
}

}  // namespace

Result<Campaign> PgCampaigns::create_campaign(std::int64_t workspace_id, const Campaign& c) {
  return unique_or_conflict(
      db_,
      [&] {
        auto params = campaign_params(c);
        params.push_back(param(c.created_at));
        params.push_back(param(workspace_id));
        const auto rows = db_.query("INSERT INTO campaigns (" + kSetColumns +
                                        ", created_at, workspace_id) VALUES ($1, $2, $3, $4, $5, "
                                        "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                                        "$18, $19) RETURNING id",
                                    params);
        Campaign created = c;
        created.id = rows.int64(0, 0);
        save_parts(db_, created);
        return created;
      },
      "name", "a campaign with this name already exists");
}

std::optional<Campaign> PgCampaigns::find_campaign(std::int64_t workspace_id, std::int64_t id) {
  const auto rows =
      db_.run("SELECT " + kCampaignColumns + " FROM campaigns WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.empty()) return std::nullopt;
  Campaign c = read_campaign(Row(rows, 0));
  load_parts(db_, c);
  return c;
}

Page<Campaign> PgCampaigns::list_campaigns(std::int64_t workspace_id, PageRequest page) {
  const auto rows = db_.run("SELECT " + kCampaignColumns +
                                " FROM campaigns WHERE workspace_id = $1 AND id > $2 "
                                "ORDER BY id LIMIT $3",
                            workspace_id, page.after_id, page.limit + 1);
  auto result = collect_page<Campaign>(rows, page.limit, read_campaign);
  for (auto& c : result.items) load_parts(db_, c);
  return result;
}

Result<void> PgCampaigns::update_campaign(std::int64_t workspace_id, const Campaign& c) {
  return unique_or_conflict(
      db_,
      [&] {
        auto params = campaign_params(c);
        params.push_back(param(c.id));
        params.push_back(param(workspace_id));
        const auto rows = db_.query("UPDATE campaigns SET (" + kSetColumns +
                                        ") = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                                        "$12, $13, $14, $15, $16, $17) "
                                        "WHERE id = $18 AND workspace_id = $19",
                                    params);
        // Another workspace's id changes nothing, its parts included.
        if (rows.affected() > 0) save_parts(db_, c);
      },
      "name", "a campaign with this name already exists");
}

bool PgCampaigns::delete_campaign(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM campaigns WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

std::vector<Target> PgCampaigns::targets_of_groups(std::int64_t workspace_id,
                                                   const std::vector<std::int64_t>& group_ids) {
  std::vector<Target> all;
  (void)for_each_target_of_groups(workspace_id, group_ids, 4096,
                                  [&](const std::vector<Target>& batch) -> Result<void> {
                                    all.insert(all.end(), batch.begin(), batch.end());
                                    return {};
                                  });
  return all;
}

// The ids first (eight bytes a person), then the people a batch at a time by
// primary key: a launch of a million never holds every row.
Result<void> PgCampaigns::for_each_target_of_groups(std::int64_t workspace_id,
                                                    const std::vector<std::int64_t>& group_ids,
                                                    std::size_t batch, const TargetBatch& each) {
  const auto id_rows = db_.run(
      "SELECT DISTINCT m.target_id FROM group_members m JOIN groups g ON g.id = m.group_id "
      "JOIN targets t ON t.id = m.target_id WHERE g.workspace_id = $1 AND t.workspace_id = $1 "
      "AND m.group_id = ANY($2::bigint[]) ORDER BY m.target_id",
      workspace_id, id_array(group_ids));
  std::vector<std::int64_t> ids;
  ids.reserve(static_cast<std::size_t>(id_rows.size()));
  for (int i = 0; i < id_rows.size(); ++i) ids.push_back(id_rows.int64(i, 0));
  for (std::size_t start = 0; start < ids.size(); start += batch) {
    const std::vector<std::int64_t> chunk(
        ids.begin() + static_cast<std::ptrdiff_t>(start),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(start + batch, ids.size())));
    const auto rows = db_.run(
        "SELECT id, email, first_name, last_name, position, department, manager_email, locale "
        "FROM targets WHERE id = ANY($1::bigint[]) ORDER BY id",
        id_array(chunk));
    std::vector<Target> targets;
    targets.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
      targets.push_back(
          Target{rows.int64(i, 0),
                 TargetFields{rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4),
                              rows.text(i, 5), rows.text(i, 6), rows.text(i, 7)}});
    }
    PD_TRY(each(targets));
  }
  return {};
}

std::int64_t PgCampaigns::insert_variant(std::int64_t campaign_id, const CampaignVariant& v) {
  return db_
      .run(
          "INSERT INTO campaign_variants (campaign_id, template_id, weight, name, subject, html, "
          "text, from_address, headers, attachments, red_flags) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
          campaign_id, v.template_id, v.weight, v.content.name, v.content.subject, v.content.html,
          v.content.text, v.content.from, json_columns::headers_to_json(v.content.headers),
          json_columns::attachments_to_json(v.content.attachments),
          json_columns::red_flags_to_json(v.content.red_flags))
      .int64(0, 0);
}

std::optional<CampaignVariant> PgCampaigns::find_variant(std::int64_t id) {
  const auto rows =
      db_.run("SELECT " + kVariantColumns + " FROM campaign_variants WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  return read_variant(Row(rows, 0));
}

void PgCampaigns::insert_recipients(std::int64_t workspace_id, std::int64_t campaign_id,
                                    const std::vector<Recipient>& recipients) {
  // A batch travels as one JSON parameter: one round trip per thousand
  // people, and still no value inside the SQL text.
  for (std::size_t first = 0; first < recipients.size(); first += kRecipientBatch) {
    const auto last = std::min(recipients.size(), first + kRecipientBatch);
    json::array batch;
    batch.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) batch.push_back(recipient_json(recipients[i]));
    db_.run(
        "INSERT INTO recipients (workspace_id, campaign_id, target_id, rid, email, first_name, "
        "last_name, position, department, manager_email, locale, variant_id, send_at, state, "
        "message_id) SELECT $1, $2, r.target_id, r.rid, r.email, r.first_name, r.last_name, "
        "r.position, r.department, r.manager_email, r.locale, r.variant_id, r.send_at, "
        "'queued', r.message_id FROM json_to_recordset($3::json) AS r(target_id bigint, "
        "rid text, email text, first_name text, last_name text, position text, "
        "department text, manager_email text, locale text, variant_id bigint, send_at bigint, "
        "message_id text)",
        workspace_id, campaign_id, json::serialize(batch));
  }
}

bool PgCampaigns::set_campaign_state(const Campaign& c, CampaignStatus from) {
  return db_.run(
                "UPDATE campaigns SET status = $1, launch_at = $2, launched_at = $3, "
                "completed_at = $4, updated_at = $5 WHERE id = $6 AND status = $7",
                campaign_status_name(c.status), c.launch_at, c.launched_at, c.completed_at,
                c.updated_at, c.id, campaign_status_name(from))
             .affected() == 1;
}

std::int64_t PgCampaigns::cancel_unsent(std::int64_t campaign_id) {
  return db_
      .run("UPDATE recipients SET state = 'cancelled' WHERE campaign_id = $1 AND state = 'queued'",
           campaign_id)
      .affected();
}

std::int64_t PgCampaigns::count_targets_of_groups(std::int64_t workspace_id,
                                                  const std::vector<std::int64_t>& group_ids) {
  if (group_ids.empty()) return 0;
  return db_
      .run(
          "SELECT COUNT(DISTINCT m.target_id) FROM group_members m JOIN groups g ON "
          "g.id = m.group_id WHERE g.workspace_id = $1 AND m.group_id = ANY($2::bigint[])",
          workspace_id, id_array(group_ids))
      .int64(0, 0);
}

}  // namespace phishdrill::pg
