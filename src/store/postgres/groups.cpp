#include <string>

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

UpsertStats PgGroups::upsert_targets(std::int64_t workspace_id,
                                     const std::vector<TargetFields>& targets, std::int64_t now) {
  UpsertStats stats;
  stats.target_ids.reserve(targets.size());
  // One statement per target, safe against a concurrent import of the same
  // email (the constraint decides); xmax = 0 only on a freshly inserted row.
  const std::string upsert =
      "INSERT INTO targets (workspace_id, email, first_name, last_name, position, department, "
      "manager_email, locale, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $9) ON CONFLICT (workspace_id, email) DO UPDATE SET first_name = excluded.first_name, "
      "last_name = excluded.last_name, position = excluded.position, "
      "department = excluded.department, manager_email = excluded.manager_email, "
      "locale = excluded.locale, updated_at = excluded.updated_at "
      "RETURNING id, (xmax = 0)";
  for (const auto& t : targets) {
    const auto rows = db_.run(upsert, workspace_id, t.email, t.first_name, t.last_name, t.position,
                              t.department, t.manager_email, t.locale, now);
    stats.target_ids.push_back(rows.int64(0, 0));
    if (rows.boolean(0, 1)) {
      ++stats.created;
    } else {
      ++stats.updated;
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
