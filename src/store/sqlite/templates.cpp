#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kTemplateColumns =
    "id, name, subject, html, text, from_address, headers, attachments, created_at, updated_at, "
    "red_flags, phish_scale";

EmailTemplate read_template(const Statement& s) {
  EmailTemplate t;
  t.id = s.int64(0);
  t.name = s.text(1);
  t.subject = s.text(2);
  t.html = s.text(3);
  t.text = s.text(4);
  t.from = s.text(5);
  t.headers = headers_from_json(s.text(6));
  t.attachments = attachments_from_json(s.text(7));
  t.created_at = s.int64(8);
  t.updated_at = s.int64(9);
  t.red_flags = red_flags_from_json(s.text(10));
  t.phish_scale = json_columns::template_scale_from_json(s.text(11));
  return t;
}

}  // namespace

Result<EmailTemplate> SqliteTemplates::create_template(std::int64_t workspace_id,
                                                       const EmailTemplate& tmpl) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO templates (workspace_id, name, subject, html, text, from_address, "
               "headers, attachments, created_at, updated_at, red_flags, phish_scale) "
               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
            .bind(1, workspace_id)
            .bind(2, tmpl.name)
            .bind(3, tmpl.subject)
            .bind(4, tmpl.html)
            .bind(5, tmpl.text)
            .bind(6, tmpl.from)
            .bind(7, headers_to_json(tmpl.headers))
            .bind(8, attachments_to_json(tmpl.attachments))
            .bind(9, tmpl.created_at)
            .bind(10, tmpl.updated_at)
            .bind(11, red_flags_to_json(tmpl.red_flags))
            .bind(12, json_columns::template_scale_to_json(tmpl.phish_scale))
            .run();
        EmailTemplate created = tmpl;
        created.id = db_.last_insert_id();
        return created;
      },
      "name", "a template with this name already exists");
}

std::optional<EmailTemplate> SqliteTemplates::find_template(std::int64_t workspace_id,
                                                            std::int64_t id) {
  return find_owned<EmailTemplate>(db_, kTemplateColumns, "templates", workspace_id, id,
                                   read_template);
}

Page<EmailTemplate> SqliteTemplates::list_templates(std::int64_t workspace_id, PageRequest page) {
  return list_owned<EmailTemplate>(db_, kTemplateColumns, "templates", workspace_id, page,
                                   read_template);
}

Result<void> SqliteTemplates::update_template(std::int64_t workspace_id,
                                              const EmailTemplate& tmpl) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "UPDATE templates SET name = ?, subject = ?, html = ?, text = ?, from_address = ?, "
               "headers = ?, attachments = ?, updated_at = ?, red_flags = ?, phish_scale = ? "
               "WHERE workspace_id = ? AND id = ?")
            .bind(1, tmpl.name)
            .bind(2, tmpl.subject)
            .bind(3, tmpl.html)
            .bind(4, tmpl.text)
            .bind(5, tmpl.from)
            .bind(6, headers_to_json(tmpl.headers))
            .bind(7, attachments_to_json(tmpl.attachments))
            .bind(8, tmpl.updated_at)
            .bind(9, red_flags_to_json(tmpl.red_flags))
            .bind(10, json_columns::template_scale_to_json(tmpl.phish_scale))
            .bind(11, workspace_id)
            .bind(12, tmpl.id)
            .run();
      },
      "name", "a template with this name already exists");
}

bool SqliteTemplates::delete_template(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "templates", workspace_id, id);
}

}  // namespace phishdrill::sqlite
