#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {
constexpr const char* kPageColumns =
    "id, name, html, capture, redirect_url, created_at, updated_at, source_url, safe_fields, "
    "allow_scripts";

LandingPage read_page(const Statement& s) {
  LandingPage p;
  p.id = s.int64(0);
  p.name = s.text(1);
  p.html = s.text(2);
  p.capture = parse_capture_policy(s.text(3)).value_or(CapturePolicy::kNone);
  p.redirect_url = s.text(4);
  p.created_at = s.int64(5);
  p.updated_at = s.int64(6);
  p.source_url = s.text(7);
  p.safe_fields = strings_from_json(s.text(8));
  p.allow_scripts = s.int64(9) != 0;
  return p;
}

}  // namespace
Result<LandingPage> SqliteLandingPages::create_page(std::int64_t workspace_id,
                                                    const LandingPage& page) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO pages (workspace_id, name, html, capture, redirect_url, created_at, "
               "updated_at, source_url, safe_fields, allow_scripts) VALUES (?,?,?,?,?,?,?,?,?,?)")
            .bind(1, workspace_id)
            .bind(2, page.name)
            .bind(3, page.html)
            .bind(4, capture_policy_name(page.capture))
            .bind(5, page.redirect_url)
            .bind(6, page.created_at)
            .bind(7, page.updated_at)
            .bind(8, page.source_url)
            .bind(9, strings_to_json(page.safe_fields))
            .bind(10, page.allow_scripts ? 1 : 0)
            .run();
        LandingPage created = page;
        created.id = db_.last_insert_id();
        return created;
      },
      "name", "a landing page with this name already exists");
}

std::optional<LandingPage> SqliteLandingPages::find_page(std::int64_t workspace_id,
                                                         std::int64_t id) {
  return find_owned<LandingPage>(db_, kPageColumns, "pages", workspace_id, id, read_page);
}

Page<LandingPage> SqliteLandingPages::list_pages(std::int64_t workspace_id, PageRequest page) {
  return list_owned<LandingPage>(db_, kPageColumns, "pages", workspace_id, page, read_page);
}

Result<void> SqliteLandingPages::update_page(std::int64_t workspace_id, const LandingPage& page) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "UPDATE pages SET name = ?, html = ?, capture = ?, redirect_url = ?, updated_at = "
               "?, source_url = ?, safe_fields = ?, allow_scripts = ? WHERE workspace_id = ? AND "
               "id = ?")
            .bind(1, page.name)
            .bind(2, page.html)
            .bind(3, capture_policy_name(page.capture))
            .bind(4, page.redirect_url)
            .bind(5, page.updated_at)
            .bind(6, page.source_url)
            .bind(7, strings_to_json(page.safe_fields))
            .bind(8, page.allow_scripts ? 1 : 0)
            .bind(9, workspace_id)
            .bind(10, page.id)
            .run();
      },
      "name", "a landing page with this name already exists");
}

bool SqliteLandingPages::delete_page(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "pages", workspace_id, id);
}

}  // namespace phishdrill::sqlite
