#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kTemplateColumns =
    "id, name, subject, html, text, from_address, headers, attachments, created_at, updated_at, "
    "red_flags";

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
  return t;
}

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

constexpr const char* kProfileColumns =
    "id, name, kind, host, port, tls, username, password_sealed <> '', from_address, headers, "
    "rate_per_minute, created_at, updated_at";

SendingProfile read_profile(const Statement& s) {
  SendingProfile p;
  p.id = s.int64(0);
  p.name = s.text(1);
  p.kind = parse_transport_kind(s.text(2)).value_or(TransportKind::kOutbox);
  p.host = s.text(3);
  p.port = static_cast<int>(s.int64(4));
  p.tls = parse_tls_mode(s.text(5)).value_or(TlsMode::kNone);
  p.username = s.text(6);
  p.has_password = s.int64(7) != 0;
  p.from = s.text(8);
  p.headers = headers_from_json(s.text(9));
  p.rate_per_minute = static_cast<int>(s.int64(10));
  p.created_at = s.int64(11);
  p.updated_at = s.int64(12);
  return p;
}

}  // namespace

Result<EmailTemplate> SqliteTemplates::create_template(std::int64_t workspace_id,
                                                       const EmailTemplate& tmpl) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO templates (workspace_id, name, subject, html, text, from_address, "
               "headers, attachments, created_at, updated_at, red_flags) "
               "VALUES (?,?,?,?,?,?,?,?,?,?,?)")
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
               "headers = ?, attachments = ?, updated_at = ?, red_flags = ? "
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
            .bind(10, workspace_id)
            .bind(11, tmpl.id)
            .run();
      },
      "name", "a template with this name already exists");
}

bool SqliteTemplates::delete_template(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "templates", workspace_id, id);
}

Result<LandingPage> SqliteTemplates::create_page(std::int64_t workspace_id,
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

std::optional<LandingPage> SqliteTemplates::find_page(std::int64_t workspace_id, std::int64_t id) {
  return find_owned<LandingPage>(db_, kPageColumns, "pages", workspace_id, id, read_page);
}

Page<LandingPage> SqliteTemplates::list_pages(std::int64_t workspace_id, PageRequest page) {
  return list_owned<LandingPage>(db_, kPageColumns, "pages", workspace_id, page, read_page);
}

Result<void> SqliteTemplates::update_page(std::int64_t workspace_id, const LandingPage& page) {
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

bool SqliteTemplates::delete_page(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "pages", workspace_id, id);
}

Result<SendingProfile> SqliteTemplates::create_profile(std::int64_t workspace_id,
                                                       const SendingProfile& profile) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO sending_profiles (workspace_id, name, kind, host, port, tls, "
               "username, password_sealed, from_address, headers, rate_per_minute, created_at, "
               "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
            .bind(1, workspace_id)
            .bind(2, profile.name)
            .bind(3, transport_kind_name(profile.kind))
            .bind(4, profile.host)
            .bind(5, profile.port)
            .bind(6, tls_mode_name(profile.tls))
            .bind(7, profile.username)
            .bind(8, profile.has_password ? crypto::seal(key_, profile.password) : std::string())
            .bind(9, profile.from)
            .bind(10, headers_to_json(profile.headers))
            .bind(11, profile.rate_per_minute)
            .bind(12, profile.created_at)
            .bind(13, profile.updated_at)
            .run();
        SendingProfile created = profile;
        created.id = db_.last_insert_id();
        created.password.clear();
        return created;
      },
      "name", "a sending profile with this name already exists");
}

std::optional<SendingProfile> SqliteTemplates::find_profile(std::int64_t workspace_id,
                                                            std::int64_t id) {
  return find_owned<SendingProfile>(db_, kProfileColumns, "sending_profiles", workspace_id, id,
                                    read_profile);
}

Page<SendingProfile> SqliteTemplates::list_profiles(std::int64_t workspace_id, PageRequest page) {
  return list_owned<SendingProfile>(db_, kProfileColumns, "sending_profiles", workspace_id, page,
                                    read_profile);
}

Result<void> SqliteTemplates::update_profile(std::int64_t workspace_id,
                                             const SendingProfile& profile, bool keep_password) {
  return unique_or_conflict(
      [&] {
        auto stmt = db_.prepare(
            "UPDATE sending_profiles SET name = ?, kind = ?, host = ?, port = ?, tls = ?, "
            "username = ?, from_address = ?, headers = ?, rate_per_minute = ?, updated_at = ?, "
            "password_sealed = CASE WHEN ? THEN password_sealed ELSE ? END "
            "WHERE workspace_id = ? AND id = ?");
        stmt.bind(1, profile.name)
            .bind(2, transport_kind_name(profile.kind))
            .bind(3, profile.host)
            .bind(4, profile.port)
            .bind(5, tls_mode_name(profile.tls))
            .bind(6, profile.username)
            .bind(7, profile.from)
            .bind(8, headers_to_json(profile.headers))
            .bind(9, profile.rate_per_minute)
            .bind(10, profile.updated_at)
            .bind(11, keep_password ? 1 : 0)
            .bind(12, !keep_password && profile.has_password ? crypto::seal(key_, profile.password)
                                                             : std::string())
            .bind(13, workspace_id)
            .bind(14, profile.id)
            .run();
      },
      "name", "a sending profile with this name already exists");
}

bool SqliteTemplates::delete_profile(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "sending_profiles", workspace_id, id);
}

std::optional<std::string> SqliteTemplates::find_profile_secret(std::int64_t workspace_id,
                                                                std::int64_t id) {
  auto stmt =
      db_.prepare("SELECT password_sealed FROM sending_profiles WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  const std::string sealed = stmt.text(0);
  if (sealed.empty()) return std::string();
  auto opened = crypto::open(key_, sealed);
  if (!opened) return std::nullopt;
  return *opened;
}

}  // namespace phishdrill::sqlite
