#include <string>

#include "store/json_columns.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kTemplateSelect =
    "SELECT id, name, subject, html, text, from_address, headers, attachments, created_at, "
    "updated_at, red_flags, phish_scale FROM templates ";

EmailTemplate read_template(const Row& row) {
  EmailTemplate t;
  t.id = row.int64(0);
  t.name = row.text(1);
  t.subject = row.text(2);
  t.html = row.text(3);
  t.text = row.text(4);
  t.from = row.text(5);
  t.headers = json_columns::headers_from_json(row.text(6));
  t.attachments = json_columns::attachments_from_json(row.text(7));
  t.created_at = row.int64(8);
  t.updated_at = row.int64(9);
  t.red_flags = json_columns::red_flags_from_json(row.text(10));
  t.phish_scale = json_columns::template_scale_from_json(row.text(11));
  return t;
}

}  // namespace

Result<EmailTemplate> PgTemplates::create_template(std::int64_t workspace_id,
                                                   const EmailTemplate& tmpl) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO templates (workspace_id, name, subject, html, text, from_address, "
            "headers, attachments, created_at, updated_at, red_flags, phish_scale) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            workspace_id, tmpl.name, tmpl.subject, tmpl.html, tmpl.text, tmpl.from,
            json_columns::headers_to_json(tmpl.headers),
            json_columns::attachments_to_json(tmpl.attachments), tmpl.created_at, tmpl.updated_at,
            json_columns::red_flags_to_json(tmpl.red_flags),
            json_columns::template_scale_to_json(tmpl.phish_scale));
        EmailTemplate created = tmpl;
        created.id = rows.int64(0, 0);
        return created;
      },
      "name", "a template with this name already exists");
}

std::optional<EmailTemplate> PgTemplates::find_template(std::int64_t workspace_id,
                                                        std::int64_t id) {
  const auto rows =
      db_.run(kTemplateSelect + "WHERE workspace_id = $1 AND id = $2", workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_template(Row(rows, 0));
}

Page<EmailTemplate> PgTemplates::list_templates(std::int64_t workspace_id, PageRequest page) {
  const auto rows =
      db_.run(kTemplateSelect + "WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
              workspace_id, page.after_id, page.limit + 1);
  return collect_page<EmailTemplate>(rows, page.limit, read_template);
}

Result<void> PgTemplates::update_template(std::int64_t workspace_id, const EmailTemplate& tmpl) {
  return unique_or_conflict(
      db_,
      [&] {
        db_.run(
            "UPDATE templates SET name = $1, subject = $2, html = $3, text = $4, "
            "from_address = $5, headers = $6, attachments = $7, updated_at = $8, "
            "red_flags = $9, phish_scale = $10 WHERE workspace_id = $11 AND id = $12",
            tmpl.name, tmpl.subject, tmpl.html, tmpl.text, tmpl.from,
            json_columns::headers_to_json(tmpl.headers),
            json_columns::attachments_to_json(tmpl.attachments), tmpl.updated_at,
            json_columns::red_flags_to_json(tmpl.red_flags),
            json_columns::template_scale_to_json(tmpl.phish_scale), workspace_id, tmpl.id);
      },
      "name", "a template with this name already exists");
}

bool PgTemplates::delete_template(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM templates WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

}  // namespace phishdrill::pg
