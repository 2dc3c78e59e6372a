#include "store/sqlite/json_columns.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {
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
Result<SendingProfile> SqliteSendingProfiles::create_profile(std::int64_t workspace_id,
                                                             const SendingProfile& profile,
                                                             const std::string& password_sealed) {
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
            .bind(8, password_sealed)
            .bind(9, profile.from)
            .bind(10, headers_to_json(profile.headers))
            .bind(11, profile.rate_per_minute)
            .bind(12, profile.created_at)
            .bind(13, profile.updated_at)
            .run();
        SendingProfile created = profile;
        created.id = db_.last_insert_id();
        created.password.clear();
        created.has_password = !password_sealed.empty();
        return created;
      },
      "name", "a sending profile with this name already exists");
}

std::optional<SendingProfile> SqliteSendingProfiles::find_profile(std::int64_t workspace_id,
                                                                  std::int64_t id) {
  return find_owned<SendingProfile>(db_, kProfileColumns, "sending_profiles", workspace_id, id,
                                    read_profile);
}

Page<SendingProfile> SqliteSendingProfiles::list_profiles(std::int64_t workspace_id,
                                                          PageRequest page) {
  return list_owned<SendingProfile>(db_, kProfileColumns, "sending_profiles", workspace_id, page,
                                    read_profile);
}

Result<void> SqliteSendingProfiles::update_profile(
    std::int64_t workspace_id, const SendingProfile& profile,
    const std::optional<std::string>& password_sealed) {
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
            .bind(11, password_sealed ? 0 : 1)
            .bind(12, password_sealed.value_or(std::string()))
            .bind(13, workspace_id)
            .bind(14, profile.id)
            .run();
      },
      "name", "a sending profile with this name already exists");
}

bool SqliteSendingProfiles::delete_profile(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "sending_profiles", workspace_id, id);
}

std::optional<std::string> SqliteSendingProfiles::find_sealed_password(std::int64_t workspace_id,
                                                                       std::int64_t id) {
  auto stmt =
      db_.prepare("SELECT password_sealed FROM sending_profiles WHERE workspace_id = ? AND id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

}  // namespace phishdrill::sqlite
