#include <string>

#include "store/json_columns.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kPageSelect =
    "SELECT id, name, html, capture, redirect_url, created_at, updated_at, source_url, "
    "safe_fields, allow_scripts FROM pages ";

LandingPage read_page(const Row& row) {
  LandingPage p;
  p.id = row.int64(0);
  p.name = row.text(1);
  p.html = row.text(2);
  p.capture = parse_capture_policy(row.text(3)).value_or(CapturePolicy::kNone);
  p.redirect_url = row.text(4);
  p.created_at = row.int64(5);
  p.updated_at = row.int64(6);
  p.source_url = row.text(7);
  p.safe_fields = json_columns::strings_from_json(row.text(8));
  p.allow_scripts = row.boolean(9);
  return p;
}

}  // namespace

Result<LandingPage> PgLandingPages::create_page(std::int64_t workspace_id,
                                                const LandingPage& page) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO pages (workspace_id, name, html, capture, redirect_url, created_at, "
            "updated_at, source_url, safe_fields, allow_scripts) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            workspace_id, page.name, page.html, capture_policy_name(page.capture),
            page.redirect_url, page.created_at, page.updated_at, page.source_url,
            json_columns::strings_to_json(page.safe_fields), page.allow_scripts);
        LandingPage created = page;
        created.id = rows.int64(0, 0);
        return created;
      },
      "name", "a landing page with this name already exists");
}

std::optional<LandingPage> PgLandingPages::find_page(std::int64_t workspace_id, std::int64_t id) {
  const auto rows = db_.run(kPageSelect + "WHERE workspace_id = $1 AND id = $2", workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_page(Row(rows, 0));
}

Page<LandingPage> PgLandingPages::list_pages(std::int64_t workspace_id, PageRequest page) {
  const auto rows =
      db_.run(kPageSelect + "WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
              workspace_id, page.after_id, page.limit + 1);
  return collect_page<LandingPage>(rows, page.limit, read_page);
}

Result<void> PgLandingPages::update_page(std::int64_t workspace_id, const LandingPage& page) {
  return unique_or_conflict(
      db_,
      [&] {
        db_.run(
            "UPDATE pages SET name = $1, html = $2, capture = $3, redirect_url = $4, "
            "updated_at = $5, source_url = $6, safe_fields = $7, allow_scripts = $8 "
            "WHERE workspace_id = $9 AND id = $10",
            page.name, page.html, capture_policy_name(page.capture), page.redirect_url,
            page.updated_at, page.source_url, json_columns::strings_to_json(page.safe_fields),
            page.allow_scripts, workspace_id, page.id);
      },
      "name", "a landing page with this name already exists");
}

bool PgLandingPages::delete_page(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM pages WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

}  // namespace phishdrill::pg
