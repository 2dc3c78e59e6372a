#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kGroupSelect =
    "SELECT g.id, g.name, g.created_at, g.updated_at, "
    "(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) FROM groups g ";

Group read_group(const Statement& stmt) {
  return Group{stmt.int64(0), stmt.text(1), stmt.int64(4), stmt.int64(2), stmt.int64(3)};
}

}  // namespace

Result<Group> SqliteGroups::create_group(std::int64_t workspace_id, std::string_view name,
                                         std::int64_t now) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO groups (workspace_id, name, created_at, updated_at) VALUES (?, ?, ?, "
               "?)")
            .bind(1, workspace_id)
            .bind(2, name)
            .bind(3, now)
            .bind(4, now)
            .run();
        return Group{db_.last_insert_id(), std::string(name), 0, now, now};
      },
      "name", "a group with this name already exists");
}

std::optional<Group> SqliteGroups::find_group(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string(kGroupSelect) + "WHERE g.workspace_id = ? AND g.id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return read_group(stmt);
}

Page<Group> SqliteGroups::list_groups(std::int64_t workspace_id, PageRequest page) {
  auto stmt = db_.prepare(std::string(kGroupSelect) +
                          "WHERE g.workspace_id = ? AND g.id > ? ORDER BY g.id LIMIT ?");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<Group>(stmt, page.limit, read_group);
}

Result<void> SqliteGroups::rename_group(std::int64_t workspace_id, std::int64_t id,
                                        std::string_view name, std::int64_t now) {
  return unique_or_conflict(
      [&] {
        db_.prepare("UPDATE groups SET name = ?, updated_at = ? WHERE workspace_id = ? AND id = ?")
            .bind(1, name)
            .bind(2, now)
            .bind(3, workspace_id)
            .bind(4, id)
            .run();
      },
      "name", "a group with this name already exists");
}

void SqliteGroups::touch_group(std::int64_t id, std::int64_t now) {
  db_.prepare("UPDATE groups SET updated_at = ? WHERE id = ?").bind(1, now).bind(2, id).run();
}

bool SqliteGroups::delete_group(std::int64_t workspace_id, std::int64_t id) {
  db_.prepare("DELETE FROM groups WHERE workspace_id = ? AND id = ?")
      .bind(1, workspace_id)
      .bind(2, id)
      .run();
  return db_.changes() > 0;
}

UpsertStats SqliteGroups::upsert_targets(std::int64_t workspace_id,
                                         const std::vector<TargetFields>& targets,
                                         std::int64_t now) {
  UpsertStats stats;
  stats.target_ids.reserve(targets.size());
  auto find = db_.prepare("SELECT id FROM targets WHERE workspace_id = ? AND email = ?");
  auto insert = db_.prepare(
      "INSERT INTO targets (workspace_id, email, first_name, last_name, position, department, "
      "manager_email, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto update = db_.prepare(
      "UPDATE targets SET first_name = ?, last_name = ?, position = ?, department = ?, "
      "manager_email = ?, locale = ?, updated_at = ? WHERE id = ?");
  for (const auto& t : targets) {
    find.reset();
    find.bind(1, workspace_id).bind(2, t.email);
    if (find.step()) {
      const std::int64_t id = find.int64(0);
      update.reset();
      update.bind(1, t.first_name)
          .bind(2, t.last_name)
          .bind(3, t.position)
          .bind(4, t.department)
          .bind(5, t.manager_email)
          .bind(6, t.locale)
          .bind(7, now)
          .bind(8, id)
          .run();
      stats.target_ids.push_back(id);
      ++stats.updated;
    } else {
      insert.reset();
      insert.bind(1, workspace_id)
          .bind(2, t.email)
          .bind(3, t.first_name)
          .bind(4, t.last_name)
          .bind(5, t.position)
          .bind(6, t.department)
          .bind(7, t.manager_email)
          .bind(8, t.locale)
          .bind(9, now)
          .bind(10, now)
          .run();
      stats.target_ids.push_back(db_.last_insert_id());
      ++stats.created;
    }
  }
  return stats;
}

void SqliteGroups::add_members(std::int64_t group_id, const std::vector<std::int64_t>& target_ids) {
  auto insert =
      db_.prepare("INSERT OR IGNORE INTO group_members (group_id, target_id) VALUES (?, ?)");
  for (const auto id : target_ids) {
    insert.reset();
    insert.bind(1, group_id).bind(2, id).run();
  }
}

void SqliteGroups::clear_members(std::int64_t group_id) {
  db_.prepare("DELETE FROM group_members WHERE group_id = ?").bind(1, group_id).run();
}

bool SqliteGroups::remove_member(std::int64_t group_id, std::int64_t target_id) {
  db_.prepare("DELETE FROM group_members WHERE group_id = ? AND target_id = ?")
      .bind(1, group_id)
      .bind(2, target_id)
      .run();
  return db_.changes() > 0;
}

Page<Target> SqliteGroups::list_members(std::int64_t group_id, PageRequest page) {
  auto stmt = db_.prepare(
      "SELECT t.id, t.email, t.first_name, t.last_name, t.position, t.department, "
      "t.manager_email, t.locale FROM group_members m JOIN targets t ON t.id = m.target_id "
      "WHERE m.group_id = ? AND m.target_id > ? ORDER BY m.target_id LIMIT ?");
  stmt.bind(1, group_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<Target>(stmt, page.limit, [](const Statement& s) {
    return Target{s.int64(0), TargetFields{s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                                           s.text(6), s.text(7)}};
  });
}

}  // namespace phishdrill::sqlite
