#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/postgres/id_array.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kGroupSelect =
    "SELECT g.id, g.name, g.created_at, g.updated_at, "
    "(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) FROM groups g ";

Group read_group(const Row& row) {
  return Group{row.int64(0), row.text(1), row.int64(4), row.int64(2), row.int64(3)};
}

}  // namespace

Result<Group> PgGroups::create_group(std::int64_t workspace_id, std::string_view name,
                                     std::int64_t now) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO groups (workspace_id, name, created_at, updated_at) "
            "VALUES ($1, $2, $3, $3) RETURNING id",
            workspace_id, name, now);
        return Group{rows.int64(0, 0), std::string(name), 0, now, now};
      },
      "name", "a group with this name already exists");
}

std::optional<Group> PgGroups::find_group(std::int64_t workspace_id, std::int64_t id) {
  const auto rows =
      db_.run(kGroupSelect + "WHERE g.workspace_id = $1 AND g.id = $2", workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_group(Row(rows, 0));
}

Page<Group> PgGroups::list_groups(std::int64_t workspace_id, PageRequest page) {
  const auto rows =
      db_.run(kGroupSelect + "WHERE g.workspace_id = $1 AND g.id > $2 ORDER BY g.id LIMIT $3",
              workspace_id, page.after_id, page.limit + 1);
  return collect_page<Group>(rows, page.limit, read_group);
}

Result<void> PgGroups::rename_group(std::int64_t workspace_id, std::int64_t id,
                                    std::string_view name, std::int64_t now) {
  return unique_or_conflict(
      db_,
      [&] {
        db_.run("UPDATE groups SET name = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4",
                name, now, workspace_id, id);
      },
      "name", "a group with this name already exists");
}

void PgGroups::touch_group(std::int64_t id, std::int64_t now) {
  db_.run("UPDATE groups SET updated_at = $1 WHERE id = $2", now, id);
}

bool PgGroups::delete_group(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM groups WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

namespace {

constexpr std::size_t kUpsertBatch = 5000;

// One statement per batch of targets with distinct emails, safe against a
// concurrent import of the same email (the constraint decides); xmax = 0
// only on a freshly inserted row. RETURNING comes in no particular order:
// rows are matched back by email.
const std::string kUpsertBatchSql =
    "INSERT INTO targets (workspace_id, email, first_name, last_name, position, department, "
    "manager_email, locale, created_at, updated_at) "
    "SELECT $1, u.email, u.first_name, u.last_name, u.position, u.department, u.manager_email, "
    "u.locale, $9, $9 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], "
    "$7::text[], $8::text[]) AS u(email, first_name, last_name, position, department, "
    "manager_email, locale) "
    "ON CONFLICT (workspace_id, email) DO UPDATE SET first_name = excluded.first_name, "
    "last_name = excluded.last_name, position = excluded.position, "
    "department = excluded.department, manager_email = excluded.manager_email, "
    "locale = excluded.locale, updated_at = excluded.updated_at "
    "RETURNING email, id, (xmax = 0)";

template <typename Field>
std::string column(std::span<const TargetFields> targets, Field field) {
  return text_array(targets, [&](const TargetFields& t) -> const std::string& { return t.*field; });
}

std::vector<std::span<const TargetFields>> split_into_ones(std::span<const TargetFields> targets) {
  std::vector<std::span<const TargetFields>> ones;
  for (std::size_t i = 0; i < targets.size(); ++i) ones.push_back(targets.subspan(i, 1));
  return ones;
}

bool emails_distinct(std::span<const TargetFields> targets) {
  std::unordered_set<std::string_view> seen;
  for (const auto& t : targets) {
    if (!seen.insert(t.email).second) return false;
  }
  return true;
}

}  // namespace

UpsertStats PgGroups::upsert_targets(std::int64_t workspace_id,
                                     const std::vector<TargetFields>& targets, std::int64_t now) {
  UpsertStats stats;
  stats.target_ids.reserve(targets.size());
  const std::span<const TargetFields> all(targets);
  for (std::size_t from = 0; from < all.size(); from += kUpsertBatch) {
    const auto batch = all.subspan(from, std::min(kUpsertBatch, all.size() - from));
    // A batch naming one email twice would update its row twice in one
    // statement, which PostgreSQL refuses: such a batch goes one by one.
    const auto parts = emails_distinct(batch) ? std::vector{batch} : split_into_ones(batch);
    for (const auto part : parts) {
      const auto rows = db_.run(
          kUpsertBatchSql, workspace_id, column(part, &TargetFields::email),
          column(part, &TargetFields::first_name), column(part, &TargetFields::last_name),
          column(part, &TargetFields::position), column(part, &TargetFields::department),
          column(part, &TargetFields::manager_email), column(part, &TargetFields::locale), now);
      std::unordered_map<std::string, std::pair<std::int64_t, bool>> by_email;
      for (int i = 0; i < rows.size(); ++i) {
        by_email.emplace(rows.text(i, 0), std::pair{rows.int64(i, 1), rows.boolean(i, 2)});
      }
      for (const auto& t : part) {
        const auto& [id, created] = by_email.at(t.email);
        stats.target_ids.push_back(id);
        ++(created ? stats.created : stats.updated);
      }
    }
  }
  return stats;
}

void PgGroups::add_members(std::int64_t group_id, const std::vector<std::int64_t>& target_ids) {
  if (target_ids.empty()) return;
  db_.run(
      "INSERT INTO group_members (group_id, target_id) "
      "SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
      group_id, id_array(target_ids));
}

void PgGroups::clear_members(std::int64_t group_id) {
  db_.run("DELETE FROM group_members WHERE group_id = $1", group_id);
}

bool PgGroups::remove_member(std::int64_t group_id, std::int64_t target_id) {
  return db_.run("DELETE FROM group_members WHERE group_id = $1 AND target_id = $2", group_id,
                 target_id)
             .affected() > 0;
}

Page<Target> PgGroups::list_members(std::int64_t group_id, PageRequest page) {
  const auto rows = db_.run(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.position, t.department, "
      "t.manager_email, t.locale FROM group_members m JOIN targets t ON t.id = m.target_id "
      "WHERE m.group_id = $1 AND m.target_id > $2 ORDER BY m.target_id LIMIT $3",
      group_id, page.after_id, page.limit + 1);
  return collect_page<Target>(rows, page.limit, [](const Row& r) {
    return Target{r.int64(0), TargetFields{r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                                           r.text(6), r.text(7)}};
  });
}

}  // namespace phishdrill::pg
