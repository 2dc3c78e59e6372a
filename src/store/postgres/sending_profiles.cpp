#include <string>

#include "store/json_columns.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

const std::string kProfileSelect =
    "SELECT id, name, kind, host, port, tls, username, password_sealed <> '', from_address, "
    "headers, rate_per_minute, created_at, updated_at FROM sending_profiles ";

SendingProfile read_profile(const Row& row) {
  SendingProfile p;
  p.id = row.int64(0);
  p.name = row.text(1);
  p.kind = parse_transport_kind(row.text(2)).value_or(TransportKind::kOutbox);
  p.host = row.text(3);
  p.port = static_cast<int>(row.int64(4));
  p.tls = parse_tls_mode(row.text(5)).value_or(TlsMode::kNone);
  p.username = row.text(6);
  p.has_password = row.boolean(7);
  p.from = row.text(8);
  p.headers = json_columns::headers_from_json(row.text(9));
  p.rate_per_minute = static_cast<int>(row.int64(10));
  p.created_at = row.int64(11);
  p.updated_at = row.int64(12);
  return p;
}

}  // namespace

Result<SendingProfile> PgSendingProfiles::create_profile(std::int64_t workspace_id,
                                                         const SendingProfile& profile,
                                                         const std::string& password_sealed) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO sending_profiles (workspace_id, name, kind, host, port, tls, username, "
            "password_sealed, from_address, headers, rate_per_minute, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            workspace_id, profile.name, transport_kind_name(profile.kind), profile.host,
            profile.port, tls_mode_name(profile.tls), profile.username, password_sealed,
            profile.from, json_columns::headers_to_json(profile.headers), profile.rate_per_minute,
            profile.created_at, profile.updated_at);
        SendingProfile created = profile;
        created.id = rows.int64(0, 0);
        created.password.clear();
        created.has_password = !password_sealed.empty();
        return created;
      },
      "name", "a sending profile with this name already exists");
}

std::optional<SendingProfile> PgSendingProfiles::find_profile(std::int64_t workspace_id,
                                                              std::int64_t id) {
  const auto rows =
      db_.run(kProfileSelect + "WHERE workspace_id = $1 AND id = $2", workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_profile(Row(rows, 0));
}

Page<SendingProfile> PgSendingProfiles::list_profiles(std::int64_t workspace_id, PageRequest page) {
  const auto rows =
      db_.run(kProfileSelect + "WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
              workspace_id, page.after_id, page.limit + 1);
  return collect_page<SendingProfile>(rows, page.limit, read_profile);
}

Result<void> PgSendingProfiles::update_profile(std::int64_t workspace_id,
                                               const SendingProfile& profile,
                                               const std::optional<std::string>& password_sealed) {
  return unique_or_conflict(
      db_,
      [&] {
        // $11 NULL keeps the stored password.
        db_.run(
            "UPDATE sending_profiles SET name = $1, kind = $2, host = $3, port = $4, tls = $5, "
            "username = $6, from_address = $7, headers = $8, rate_per_minute = $9, "
            "updated_at = $10, password_sealed = COALESCE($11, password_sealed) "
            "WHERE workspace_id = $12 AND id = $13",
            profile.name, transport_kind_name(profile.kind), profile.host, profile.port,
            tls_mode_name(profile.tls), profile.username, profile.from,
            json_columns::headers_to_json(profile.headers), profile.rate_per_minute,
            profile.updated_at, password_sealed, workspace_id, profile.id);
      },
      "name", "a sending profile with this name already exists");
}

bool PgSendingProfiles::delete_profile(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM sending_profiles WHERE workspace_id = $1 AND id = $2", workspace_id,
                 id)
             .affected() > 0;
}

std::optional<std::string> PgSendingProfiles::find_sealed_password(std::int64_t workspace_id,
                                                                   std::int64_t id) {
  const auto rows =
      db_.run("SELECT password_sealed FROM sending_profiles WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

}  // namespace phishdrill::pg
